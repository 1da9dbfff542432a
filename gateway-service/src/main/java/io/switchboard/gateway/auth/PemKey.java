package io.switchboard.gateway.auth;

import io.switchboard.common.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PemKey is the public key tokens are verified with ({@code AUTH_JWT_PUBLIC_KEY}), with the JWS
 * algorithm its type implies: RS256 for an RSA key, ES256 for a P-256 EC key.
 *
 * @param algorithm {@code RS256} or {@code ES256}
 * @param pem the key's PEM block alone, rewrapped as Vert.x expects it: BEGIN line first, then
 *     lines of 64 characters
 */
public record PemKey(String algorithm, String pem) {

  static final String VARIABLE = "AUTH_JWT_PUBLIC_KEY";
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([^-]*)-----END \\1-----");
  private static final int MIN_RSA_BITS = 2048;

  /**
   * Reads and checks the key file. It is read with blocking I/O, so call it at start-up, never on
   * an event loop.
   *
   * @throws ConfigException naming {@code AUTH_JWT_PUBLIC_KEY} when the file cannot be read or
   *     holds no usable key
   */
  public static PemKey read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(VARIABLE + ": cannot read the PEM file " + path + " (" + e + ")");
    }
    Matcher block = BLOCK.matcher(text);
    if (!block.find()) {
      throw new ConfigException(VARIABLE + ": " + path
          + " holds no '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----' block");
    }
    try {
      String pem = canonical(block.group(1), block.group(2));
      return new PemKey(algorithm(decode(block.group(1), pem, block.group(2)), path), pem);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(VARIABLE + ": " + path + " holds no valid RSA or EC public key ("
          + e.getMessage() + ")");
    }
  }

  private static String canonical(String kind, String base64) {
    String body = base64.replaceAll("\\s", "");
    StringBuilder pem = new StringBuilder("-----BEGIN ").append(kind).append("-----\n");
    for (int i = 0; i < body.length(); i += 64) {
      pem.append(body, i, Math.min(body.length(), i + 64)).append('\n');
    }
    return pem.append("-----END ").append(kind).append("-----\n").toString();
  }

  private static PublicKey decode(String kind, String block, String base64)
      throws GeneralSecurityException {
    if (kind.equals("CERTIFICATE")) {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII)))
          .getPublicKey();
    }
    X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64));
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }

  private static String algorithm(PublicKey key, Path path) {
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new ConfigException(VARIABLE + ": " + path + " holds an RSA key of "
            + rsa.getModulus().bitLength() + " bits; RS256 needs at least " + MIN_RSA_BITS);
      }
      return "RS256";
    }
    if (key instanceof ECPublicKey ec && isP256(ec)) {
      return "ES256";
    }
    throw new ConfigException(VARIABLE + ": " + path + " holds a " + key.getAlgorithm()
        + " key; expected an RSA key (RS256) or a P-256 EC key (ES256)");
  }

  private static boolean isP256(ECPublicKey key) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
      return key.getParams().getOrder().equals(p256.getOrder())
          && key.getParams().getCurve().equals(p256.getCurve());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
