-- Dynamic client registration (RFC 7591/7592), as Hydra's registration_access_token_signature: only the HMAC
-- signature of a client's registration access token is kept; null for clients created on the admin API.
ALTER TABLE ory4j_oauth2_client ADD COLUMN registration_token_signature VARCHAR(191);
