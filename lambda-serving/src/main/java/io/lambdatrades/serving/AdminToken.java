package io.lambdatrades.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The admin token that write requests must carry (SPEC 6): {@code LAMBDA_ADMIN_TOKEN}, or one generated
 * once into {@code <data-dir>/admin-token}, readable by its owner only. Compared in constant time.
 */
public final class AdminToken
{
    public static final String ENV = "LAMBDA_ADMIN_TOKEN";
    public static final String FILE = "admin-token";

    private final byte[] token;

    private AdminToken(String token)
    {
        this.token = requireNonNull(token, "token is null").getBytes(StandardCharsets.UTF_8);
    }

    /** The environment's token, else the data directory's, created when missing. */
    public static AdminToken resolve(Optional<String> fromEnvironment, Path dataDir)
    {
        Optional<String> configured = fromEnvironment.map(String::trim).filter(value -> !value.isEmpty());
        if (configured.isPresent()) {
            return new AdminToken(configured.get());
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return new AdminToken(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String generated = HexFormat.of().formatHex(random);
            Files.createDirectories(dataDir);
            Path temporary = Files.createTempFile(dataDir, FILE, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, generated + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new AdminToken(generated);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether an {@code Authorization} header carries this token as a bearer token. */
    public boolean authorizes(String authorization)
    {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, offered);
    }

    @Override
    public String toString()
    {
        return "AdminToken[****]";
    }
}
