package dev.nodeagent.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code agentctl bundle}: author, renew, verify and inspect cert bundles, offline. */
@Command(name = "bundle", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Create, renew, verify and inspect cert bundles (k8nix certToolkit + agenix layout). Works offline.",
        subcommands = {BundleCreateCommand.class, BundleRenewCommand.class, BundleVerifyCommand.class,
                BundleInspectCommand.class, CommandLine.HelpCommand.class})
public final class BundleCommand {
}
