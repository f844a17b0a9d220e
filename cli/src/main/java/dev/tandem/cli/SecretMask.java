package dev.tandem.cli;

import dev.tandem.coordinator.internal.sql.Secrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets one command line knows (the password, the passwords in its URLs), and writers that mask them, and
 * the URL forms {@link Secrets} knows, in every line the command prints, whoever wrote the line: Tandem, picocli or
 * a driver's message.
 */
final class SecretMask {
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /** Masks {@code secret} from now on; null is ignored. */
    void hide(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    /** Masks the passwords {@code url} carries from now on; null is ignored. */
    void hideUrl(String url) {
        Secrets.in(url).forEach(this::hide);
    }

    String mask(String text) {
        return Secrets.mask(text, secrets);
    }

    /** A writer into {@code target} that masks each line before it passes it on. */
    PrintWriter wrap(PrintWriter target) {
        return new PrintWriter(new LineMasking(target), true);
    }

    /** Holds a line back until it ends (or is flushed), so that a secret written in pieces is still seen whole. */
    private final class LineMasking extends Writer {
        private final Writer target;
        private final StringBuilder line = new StringBuilder();

        LineMasking(Writer target) {
            this.target = target;
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            synchronized (lock) {
                for (int i = offset; i < offset + length; i++) {
                    line.append(chars[i]);
                    if (chars[i] == '\n' || chars[i] == '\r') {
                        passOn();
                    }
                }
            }
        }

        @Override
        public void flush() throws IOException {
            synchronized (lock) {
                passOn();
                target.flush();
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (lock) {
                passOn();
                target.close();
            }
        }

        private void passOn() throws IOException {
            if (!line.isEmpty()) {
                target.write(mask(line.toString()));
                line.setLength(0);
            }
        }
    }
}
