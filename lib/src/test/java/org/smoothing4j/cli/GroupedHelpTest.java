package org.smoothing4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Issue 47: every command's help groups its options by section and ends with an example that parses. */
class GroupedHelpTest {
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute(args));
        return out.toString();
    }

    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new java.util.LinkedHashMap<>(Main.commandLine().getSubcommands());
        all.remove("help");
        return all;
    }

    @Test
    void everyOptionOfEveryCommandHasASection() {
        for (CommandLine cmd : commands().values()) {
            for (OptionSpec option : cmd.getCommandSpec().options()) {
                GroupedHelp.sectionOf(option); // throws naming the option when it has no @Section
            }
        }
    }

    @Test
    void eachOptionIsListedOnceUnderItsSectionsHeading() {
        for (Map.Entry<String, CommandLine> e : commands().entrySet()) {
            String full = help(e.getKey(), "--help");
            // the option list: from the first heading (the synopsis above it names options too) to the example
            String text = full.substring(full.indexOf("\nInput:"), full.lastIndexOf("Example"));
            List<String> headings = new ArrayList<>();
            String current = null;
            for (String line : text.split("\\R")) {
                if (line.matches("[A-Z][A-Za-z ]+:")) {
                    current = line.substring(0, line.length() - 1);
                    headings.add(current);
                }
                for (OptionSpec option : e.getValue().getCommandSpec().options()) {
                    if (listing(line, option)) {
                        assertEquals(expectedHeading(GroupedHelp.sectionOf(option), e.getKey()), current,
                                e.getKey() + " " + option.longestName() + " under the wrong heading:\n" + text);
                    }
                }
            }
            assertTrue(headings.containsAll(List.of("Input", "Run control")), e.getKey() + ": " + headings);
            for (OptionSpec option : e.getValue().getCommandSpec().options()) {
                long listed = text.lines().filter(l -> listing(l, option))
                        .count();
                assertEquals(1, listed, e.getKey() + " lists " + option.longestName() + " " + listed + " times");
            }
        }
    }

    /** Whether a help line is the first line of an option's entry ({@code --[no-]flag} for a negatable one). */
    private static boolean listing(String line, OptionSpec option) {
        String name = java.util.regex.Pattern.quote(option.longestName().replaceFirst("^--", ""));
        return line.matches("\\s+(-\\w, )?--(\\[no-\\])?" + name + "(=.*|\\s.*|$)");
    }

    private static String expectedHeading(Section.Kind kind, String command) {
        return switch (kind) {
            case INPUT -> "Input";
            case SMOOTHING -> "Smoothing";
            case METHOD -> switch (command) {
                case "certify" -> "Certificate";
                case "predict" -> "Prediction";
                case "attack" -> "Attack";
                case "train" -> "Training recipe";
                case "denoise" -> "Denoiser";
                case "gradients" -> "Gradient estimates";
                case "sweep" -> "Grid";
                default -> "Analysis";
            };
            case OPTIMISER -> "Optimiser";
            case OUTPUT -> "Output";
            case RUN_CONTROL -> "Run control";
        };
    }

    @Test
    void everyHelpEndsWithExamplesThatParse() {
        List<String> names = new ArrayList<>(commands().keySet());
        names.add(""); // smoothing4j --help
        for (String name : names) {
            String text = name.isEmpty() ? help("--help") : help(name, "--help");
            int at = Math.max(text.lastIndexOf("Example:"), text.lastIndexOf("Examples:"));
            assertTrue(at > 0, "'" + name + "' help has no example:\n" + text);
            String examples = text.substring(text.indexOf('\n', at) + 1).replaceAll("\\\\\\R\\s*", "");
            List<String> lines = examples.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            assertFalse(lines.isEmpty(), name);
            for (String line : lines) {
                List<String> words = shellWords(line);
                assertEquals("smoothing4j", words.get(0), line);
                CommandLine.ParseResult parsed = Main.commandLine().parseArgs(words.subList(1, words.size())
                        .toArray(String[]::new)); // throws on an unknown flag or a missing required one
                assertTrue(parsed.hasSubcommand(), line);
                if (!name.isEmpty()) {
                    assertEquals(name, parsed.subcommand().commandSpec().name(), line);
                }
            }
        }
    }

    /** Splits an example line as a shell would for the examples' quoting: words, and '...' as one word. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }
}
