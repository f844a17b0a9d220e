package dev.tandem.coordinator.testing;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** The extension behind {@link BothDatabases}: one invocation per {@link OnDatabase.Server}. */
public final class DatabaseMatrix implements TestTemplateInvocationContextProvider {
    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return Arrays.asList(context.getRequiredTestMethod().getParameterTypes()).contains(OnDatabase.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Arrays.stream(OnDatabase.Server.values()).map(Invocation::new);
    }

    private static final class Invocation implements TestTemplateInvocationContext, ParameterResolver,
            AfterTestExecutionCallback {
        private final OnDatabase on;

        Invocation(OnDatabase.Server server) {
            this.on = new OnDatabase(server);
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return on.server().toString();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == OnDatabase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return on;
        }

        @Override
        public void afterTestExecution(ExtensionContext context) {
            if (context.getExecutionException().isEmpty() && !on.stated()) {
                throw new AssertionError(context.getRequiredTestMethod().getName() + " states no outcome on "
                        + on.server() + ": every test of a @BothDatabases class says what each database does");
            }
        }
    }
}
