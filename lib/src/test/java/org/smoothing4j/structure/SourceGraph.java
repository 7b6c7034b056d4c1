package org.smoothing4j.structure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which source file uses which, read from the Java sources themselves (no tool outside the JDK): a file uses another
 * when it imports it (single-type, static or on demand), names it by its fully qualified name, or names a type of its
 * own package by its simple name (unless the file declares a type of that name itself). Comments and string literals
 * are left out first, so a class mentioned in a javadoc or a message is no use. Files are named {@code package.Type}; packages by their names.
 */
final class SourceGraph {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;",
            Pattern.MULTILINE);
    private static final Pattern DECLARATION = Pattern.compile("\\b(class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*");

    private final Map<String, Set<String>> uses = new TreeMap<>();

    private SourceGraph() {}

    /** The graph of every {@code .java} file under the given source roots whose package starts with {@code prefix}. */
    static SourceGraph read(String prefix, Path... roots) {
        Map<String, String> bodies = new TreeMap<>(); // file -> code without comments and strings
        Map<String, Set<String>> typesOf = new HashMap<>(); // package -> its files' simple names
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String code = strip(Files.readString(f));
                    Matcher m = PACKAGE.matcher(code);
                    String pkg = m.find() ? m.group(1) : "";
                    String type = f.getFileName().toString().replace(".java", "");
                    if (!pkg.startsWith(prefix) || type.equals("package-info")) {
                        continue;
                    }
                    bodies.put(pkg + "." + type, code);
                    typesOf.computeIfAbsent(pkg, k -> new TreeSet<>()).add(type);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SourceGraph g = new SourceGraph();
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            String file = e.getKey();
            String pkg = file.substring(0, file.lastIndexOf('.'));
            Set<String> used = new TreeSet<>();
            List<String> onDemand = new ArrayList<>(List.of(pkg));
            String code = e.getValue();
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                String name = imports.group(2);
                if (imports.group(3) != null && typesOf.containsKey(name)) {
                    onDemand.add(name);
                } else {
                    fileOf(name, bodies.keySet()).ifPresent(used::add);
                }
            }
            String rest = IMPORT.matcher(PACKAGE.matcher(code).replaceAll("")).replaceAll("");
            Set<String> declared = new TreeSet<>(); // types declared in this file shadow their package's namesakes
            Matcher declarations = DECLARATION.matcher(rest);
            while (declarations.find()) {
                declared.add(declarations.group(2));
            }
            Matcher words = WORD.matcher(rest);
            while (words.find()) {
                String w = words.group();
                if (w.startsWith(prefix)) {
                    fileOf(w, bodies.keySet()).ifPresent(used::add);
                    continue;
                }
                String first = w.contains(".") ? w.substring(0, w.indexOf('.')) : w;
                for (String p : onDemand) {
                    if (typesOf.getOrDefault(p, Set.of()).contains(first) && !declared.contains(first)) {
                        used.add(p + "." + first);
                    }
                }
            }
            used.remove(file);
            g.uses.put(file, used);
        }
        return g;
    }

    /** The file of a (possibly nested or member) name: its longest prefix that is a file. */
    private static java.util.Optional<String> fileOf(String name, Set<String> files) {
        String n = name;
        while (n.contains(".")) {
            if (files.contains(n)) {
                return java.util.Optional.of(n);
            }
            n = n.substring(0, n.lastIndexOf('.'));
        }
        return java.util.Optional.empty();
    }

    /** File to the files it uses. */
    Map<String, Set<String>> files() {
        return uses;
    }

    /** Package to the other packages its files use. */
    Map<String, Set<String>> packages() {
        Map<String, Set<String>> p = new TreeMap<>();
        uses.forEach((file, used) -> {
            String from = file.substring(0, file.lastIndexOf('.'));
            Set<String> to = p.computeIfAbsent(from, k -> new TreeSet<>());
            for (String u : used) {
                String pkg = u.substring(0, u.lastIndexOf('.'));
                if (!pkg.equals(from)) {
                    to.add(pkg);
                }
            }
        });
        return p;
    }

    /** The cycles of a graph: its strongly connected components of two or more nodes (Tarjan), each sorted. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    /** Java source with comments, string and character literals (text blocks too) replaced by spaces. */
    static String strip(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                while (end > 0 && src.charAt(end - 1) == '\\') {
                    end = src.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c) {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
