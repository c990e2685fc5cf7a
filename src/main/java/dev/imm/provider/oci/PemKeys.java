package dev.imm.provider.oci;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * ECDSA P-256 keys in PEM: a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}, what
 * {@code openssl genpkey} writes) or SEC1 ({@code BEGIN EC PRIVATE KEY}), a public key as X.509
 * ({@code BEGIN PUBLIC KEY}, what {@code cosign generate-key-pair} and {@code openssl pkey -pubout}
 * write). Errors never quote the key.
 */
final class PemKeys {
    /** The algorithm identifier of an EC key on P-256 (id-ecPublicKey, prime256v1), DER. */
    private static final byte[] P256 = {0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01,
            0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private PemKeys() {
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        if (pem.contains("ENCRYPTED")) {
            throw new GeneralSecurityException("the signing key is encrypted; imm signs with an unencrypted PKCS#8 key"
                    + " (openssl pkey -in KEY -out plain.key), passed as a sensitive variable");
        }
        byte[] der;
        if (pem.contains("BEGIN EC PRIVATE KEY")) {
            der = pkcs8(body(pem, "EC PRIVATE KEY"));
        } else if (pem.contains("BEGIN PRIVATE KEY")) {
            der = body(pem, "PRIVATE KEY");
        } else {
            throw new GeneralSecurityException("the signing key is not a PEM private key (BEGIN PRIVATE KEY)");
        }
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        requireP256(key);
        return key;
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        if (!pem.contains("BEGIN PUBLIC KEY")) {
            throw new GeneralSecurityException("the public key is not a PEM public key (BEGIN PUBLIC KEY)");
        }
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(body(pem, "PUBLIC KEY")));
        requireP256(key);
        return key;
    }

    private static void requireP256(java.security.Key key) throws GeneralSecurityException {
        if (!(key instanceof ECKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new GeneralSecurityException("the key is not an ECDSA P-256 key");
        }
    }

    private static byte[] body(String pem, String label) throws GeneralSecurityException {
        int start = pem.indexOf("-----BEGIN " + label + "-----");
        int end = pem.indexOf("-----END " + label + "-----");
        if (start < 0 || end < start) {
            throw new GeneralSecurityException("the key's PEM armour is incomplete");
        }
        String base64 = pem.substring(start + label.length() + 16, end).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the key's PEM body is not base64");
        }
    }

    /** A SEC1 EC private key wrapped as PKCS#8: {@code SEQUENCE { 0, P-256, OCTET STRING sec1 }}. */
    private static byte[] pkcs8(byte[] sec1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00});
        inner.writeBytes(P256);
        inner.write(0x04);
        inner.writeBytes(length(sec1.length));
        inner.writeBytes(sec1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(length(inner.size()));
        out.writeBytes(inner.toByteArray());
        return out.toByteArray();
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        return n < 0x100 ? new byte[] {(byte) 0x81, (byte) n} : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
}
