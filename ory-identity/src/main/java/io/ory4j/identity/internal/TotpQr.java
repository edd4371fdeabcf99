package io.ory4j.identity.internal;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * The QR code of a TOTP key URI as Kratos' {@code totp_qr} node shows it: a 256 x 256 black-and-white PNG as a
 * {@code data:image/png;base64,...} URI (error correction M, as Kratos' encoder). The QR matrix comes from zxing's
 * core; the PNG is written here (grayscale, 1 bit per pixel), so no AWT is needed on a headless server.
 */
public final class TotpQr {
  private TotpQr() {}

  /** Kratos' size of the image, in pixels. */
  public static final int SIZE = 256;

  /** The {@code data:image/png;base64,} URI of the QR code of {@code text}. */
  public static String dataUri(String text) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(matrix(text)));
  }

  static BitMatrix matrix(String text) {
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE, Map.of(
          EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 1));
    } catch (WriterException e) {
      throw new IllegalArgumentException("the TOTP URI does not fit a QR code", e);
    }
  }

  /** A 1-bit grayscale PNG of the matrix: dark modules black (0), the rest white (1). */
  static byte[] png(BitMatrix m) {
    int w = m.getWidth();
    int h = m.getHeight();
    int rowBytes = (w + 7) / 8;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
      byte[] row = new byte[rowBytes + 1]; // filter byte 0, then the pixels
      for (int y = 0; y < h; y++) {
        java.util.Arrays.fill(row, (byte) 0);
        for (int x = 0; x < w; x++) {
          if (!m.get(x, y)) {
            row[1 + x / 8] |= (byte) (0x80 >>> (x % 8));
          }
        }
        z.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    byte[] ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put((byte) 0).put((byte) 0)
        .put((byte) 0).put((byte) 0).array();
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", raw.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
