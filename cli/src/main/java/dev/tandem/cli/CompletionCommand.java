package dev.tandem.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", description = "Print the shell completion script for migrate's commands and options: "
        + "source <(migrate completion bash), or in ~/.zshrc: source <(migrate completion zsh).")
final class CompletionCommand extends BaseCommand {
    enum Shell { BASH, ZSH }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    private Shell shell;

    @Override
    protected int doCall() {
        // picocli's script serves both: under zsh it loads bashcompinit first
        out().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
