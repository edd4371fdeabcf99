package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TotpQrTest {

  private static final String URL = "otpauth://totp/ory4j:ada%40example.com?algorithm=SHA1&digits=6&issuer=ory4j"
      + "&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  @Test
  void dataUriWhenDecodedThenTheKeyUriBack() throws Exception {
    String uri = TotpQr.dataUri(URL);
    assertTrue(uri.startsWith("data:image/png;base64,"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(
        "data:image/png;base64,".length()))));
    assertEquals(256, img.getWidth());
    assertEquals(256, img.getHeight());
    int[] pixels = img.getRGB(0, 0, 256, 256, null, 0, 256);
    String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(256, 256,
        pixels)))).getText();
    assertEquals(URL, decoded);
  }

  @Test
  void totpQrNodeWhenRenderedThenKratosImgNode() {
    ObjectNode n = UiNodes.totpQr(URL);
    assertEquals("img", n.path("type").asText());
    assertEquals("totp", n.path("group").asText());
    assertEquals("totp_qr", n.at("/attributes/id").asText());
    assertEquals(256, n.at("/attributes/width").asInt());
    assertEquals("img", n.at("/attributes/node_type").asText());
    assertEquals(1050005, n.at("/meta/label/id").asInt());
  }
}
