package dev.tandem.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Files the demo ships on the class path: the shop schema and the migration. */
final class ClassPathResource {
    private ClassPathResource() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = ClassPathResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
