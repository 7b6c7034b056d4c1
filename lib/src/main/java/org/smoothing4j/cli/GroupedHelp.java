package org.smoothing4j.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * A command's {@code --help} with its options grouped by {@link Section} (input, smoothing, the command's method,
 * optimiser, output, run control) instead of one alphabetical list; the command's example line is its footer.
 * picocli renders each group with its own layout ({@link Help#optionListExcludingGroups}), so columns and wrapping
 * stay picocli's; within a section options keep their declaration order.
 */
final class GroupedHelp {
    /** The heading of {@link Section.Kind#METHOD} per command: what that command computes. */
    private static final Map<String, String> METHOD = Map.of("certify", "Certificate", "predict", "Prediction",
            "attack", "Attack", "train", "Training recipe", "denoise", "Denoiser", "gradients", "Gradient estimates",
            "analyze", "Analysis", "sweep", "Grid");

    private GroupedHelp() {}

    /** Installs the grouped option list on {@code cmd} and every subcommand; returns {@code cmd}. */
    static CommandLine install(CommandLine cmd) {
        cmd.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
        cmd.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, GroupedHelp::optionList);
        cmd.getSubcommands().values().forEach(GroupedHelp::install);
        return cmd;
    }

    /** The section an option is listed under: its field's {@link Section}; help and version go to run control. */
    static Section.Kind sectionOf(OptionSpec option) {
        if (option.userObject() instanceof Field f && f.isAnnotationPresent(Section.class)) {
            return f.getAnnotation(Section.class).value();
        }
        if (option.usageHelp() || option.versionHelp()) {
            return Section.Kind.RUN_CONTROL;
        }
        throw new IllegalStateException("option " + option.longestName() + " has no @Section");
    }

    private static String optionList(Help help) {
        Map<Section.Kind, List<OptionSpec>> sections = new EnumMap<>(Section.Kind.class);
        for (OptionSpec option : help.commandSpec().options()) {
            if (!option.hidden()) {
                sections.computeIfAbsent(sectionOf(option), k -> new ArrayList<>()).add(option);
            }
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Section.Kind, List<OptionSpec>> e : sections.entrySet()) {
            out.append(String.format("%n%s:%n", heading(e.getKey(), help.commandSpec().name())));
            out.append(help.optionListExcludingGroups(e.getValue(), help.createDefaultLayout(), null,
                    help.createDefaultParamLabelRenderer())); // null: in the order the options are declared
        }
        return out.toString();
    }

    private static String heading(Section.Kind kind, String command) {
        return switch (kind) {
            case INPUT -> "Input";
            case SMOOTHING -> "Smoothing";
            case METHOD -> METHOD.getOrDefault(command, "Method");
            case OPTIMISER -> "Optimiser";
            case OUTPUT -> "Output";
            case RUN_CONTROL -> "Run control";
        };
    }
}
