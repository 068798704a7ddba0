import dev.flagway.config.FlagwayProperties;
import dev.flagway.config.PropertyDescription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Build step of flagway-spring-boot-autoconfigure (run by Maven before compiling, as a single-file
 * program): writes, from Flagway's one catalogue of keys ({@code FlagwayProperties.catalogue()}),
 * <ol>
 *   <li>{@code META-INF/spring-configuration-metadata.json}: every {@code flagway.*} key with its type,
 *       default, description and accepted values, and {@code flagway.migrations} as a map of
 *       {@code FlagwayMigrationProperties};</li>
 *   <li>the Java source of {@code FlagwayMigrationProperties}: one migration's keys as JavaBean
 *       properties, which IDEs read to complete and document {@code flagway.migrations.<id>.*}.</li>
 * </ol>
 * Arguments: the generated-sources directory, the generated-resources directory.
 */
public final class ConfigurationMetadataGenerator {
    private static final String PACKAGE = "dev.flagway.spring.boot.autoconfigure";
    private static final String MIGRATION_CLASS = "FlagwayMigrationProperties";
    private static final String SOURCE_TYPE = FlagwayProperties.class.getName();

    private ConfigurationMetadataGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ConfigurationMetadataGenerator <sources dir> <resources dir>");
        }
        List<PropertyDescription> catalogue = FlagwayProperties.catalogue();
        write(Path.of(args[0], PACKAGE.replace('.', '/'), MIGRATION_CLASS + ".java"), javaSource(catalogue));
        write(Path.of(args[1], "META-INF", "spring-configuration-metadata.json"), json(catalogue));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ JSON metadata

    private static String json(List<PropertyDescription> catalogue) {
        List<String> groups = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        groups.add(object(fields("name", quote("flagway"), "sourceType", quote(SOURCE_TYPE))));
        TreeSet<String> groupNames = new TreeSet<>();
        for (PropertyDescription p : catalogue) {
            if (p.perMigration()) {
                continue;
            }
            int dot = p.name().lastIndexOf('.');
            if (dot > 0) {
                groupNames.add("flagway." + p.name().substring(0, dot));
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", quote(p.key()));
            fields.put("type", quote(p.type().getName()));
            fields.put("sourceType", quote(SOURCE_TYPE));
            fields.put("description", quote(plain(describe(p, false))));
            p.defaultValue().ifPresent(d -> fields.put("defaultValue", literal(p, d)));
            properties.add(object(fields));
            if (!p.values().isEmpty()) {
                hints.add(object(fields("name", quote(p.key()), "values", p.values().stream()
                        .map(v -> object(fields("value", quote(v)))).collect(Collectors.joining(", ", "[", "]")))));
            }
        }
        groupNames.forEach(g -> groups.add(object(fields("name", quote(g), "sourceType", quote(SOURCE_TYPE)))));
        groups.add(object(fields("name", quote("flagway.migrations"), "sourceType", quote(SOURCE_TYPE))));
        Map<String, String> migrations = new LinkedHashMap<>();
        migrations.put("name", quote("flagway.migrations"));
        migrations.put("type", quote("java.util.Map<java.lang.String," + PACKAGE + '.' + MIGRATION_CLASS + ">"));
        migrations.put("sourceType", quote(SOURCE_TYPE));
        migrations.put("description", quote("The migrations, by id: flagway.migrations.<id>.table and the other keys of "
                + PACKAGE + '.' + MIGRATION_CLASS + ". An id is lower-case letters, digits, '.', '_' or '-', starting "
                + "with a letter or digit."));
        properties.add(object(migrations));
        return "{\n  \"groups\": " + array(groups) + ",\n  \"properties\": " + array(properties)
                + ",\n  \"hints\": " + array(hints) + "\n}\n";
    }

    /**
     * The description, completed by what the property's absence means; by its default value too when
     * {@code withDefault} (the JSON metadata has a field of its own for it).
     */
    private static String describe(PropertyDescription p, boolean withDefault) {
        if (p.required()) {
            return p.description() + " Required.";
        }
        return p.whenAbsent().or(() -> withDefault ? p.defaultValue().map(d -> "`" + d + "`") : Optional.empty())
                .map(absent -> p.description() + " Default: " + absent + ".").orElse(p.description());
    }

    private static String literal(PropertyDescription p, String value) {
        Class<?> type = p.type();
        boolean raw = type == Boolean.class || type == Integer.class || type == Double.class;
        return raw ? value : quote(value);
    }

    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    /** Alternating names and JSON values, in order. */
    private static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** An object on one line; {@code fields} holds JSON values. */
    private static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** An array of one-line items, one item per line. */
    private static String array(List<String> items) {
        return items.stream().collect(Collectors.joining(",\n    ", "[\n    ", "\n  ]"));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ------------------------------------------------------------------ Java source

    /** A class of JavaBean properties: leaf keys, and nested groups ({@code breaker.*}) as nested classes. */
    private static final class Node {
        final Map<String, PropertyDescription> leaves = new LinkedHashMap<>();
        final Map<String, Node> groups = new LinkedHashMap<>();
    }

    private static String javaSource(List<PropertyDescription> catalogue) {
        Node root = new Node();
        for (PropertyDescription p : catalogue) {
            if (!p.perMigration()) {
                continue;
            }
            String[] parts = p.name().split("\\.");
            Node node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.groups.computeIfAbsent(parts[i], k -> new Node());
            }
            node.leaves.put(parts[parts.length - 1], p);
        }
        StringBuilder out = new StringBuilder();
        out.append("package ").append(PACKAGE).append(";\n\n");
        out.append("/**\n"
                + " * The keys of one migration, {@code flagway.migrations.<id>.*}, as JavaBean properties, so that IDEs\n"
                + " * complete and document them under the {@code flagway.migrations} map. Generated at build time from\n"
                + " * {@link dev.flagway.config.FlagwayProperties#catalogue()}, the one catalogue of Flagway's keys; Flagway\n"
                + " * binds the keys with its own binder ({@link dev.flagway.config.FlagwayProperties#bind(java.util.Map)}),\n"
                + " * never through this class.\n"
                + " */\n");
        appendClass(out, "public final class " + MIGRATION_CLASS, root, "");
        return out.toString();
    }

    private static void appendClass(StringBuilder out, String declaration, Node node, String indent) {
        out.append(indent).append(declaration).append(" {\n");
        String in = indent + "    ";
        node.leaves.forEach((name, p) -> out.append(in).append("private ").append(p.type().getName()).append(' ')
                .append(camel(name)).append(";\n"));
        node.groups.keySet().forEach(name -> out.append(in).append("private final ").append(className(name))
                .append(' ').append(camel(name)).append(" = new ").append(className(name)).append("();\n"));
        node.leaves.forEach((name, p) -> {
            String field = camel(name);
            String type = p.type().getName();
            String doc = javadoc(describe(p, true));
            out.append('\n').append(in).append("/** ").append(doc).append(" */\n")
                    .append(in).append("public ").append(type).append(" get").append(className(name)).append("() {\n")
                    .append(in).append("    return ").append(field).append(";\n").append(in).append("}\n");
            out.append('\n').append(in).append("/** ").append(doc).append(" */\n")
                    .append(in).append("public void set").append(className(name)).append('(').append(type)
                    .append(' ').append(field).append(") {\n")
                    .append(in).append("    this.").append(field).append(" = ").append(field).append(";\n")
                    .append(in).append("}\n");
        });
        node.groups.forEach((name, group) -> {
            out.append('\n').append(in).append("/** The {@code ").append(name).append(".*} keys. */\n")
                    .append(in).append("public ").append(className(name)).append(" get").append(className(name))
                    .append("() {\n").append(in).append("    return ").append(camel(name)).append(";\n")
                    .append(in).append("}\n\n");
            out.append(in).append("/** The {@code ").append(name).append(".*} keys of a migration. */\n");
            appendClass(out, "public static final class " + className(name), group, in);
        });
        out.append(indent).append("}\n");
    }

    private static String javadoc(String markdown) {
        String[] spans = markdown.split("`", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < spans.length; i++) {
            String span = spans[i].replace("*/", "*&#47;");
            out.append(i % 2 == 1 ? "{@code " + span + "}"
                    : span.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        }
        return out.toString();
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String className(String kebab) {
        String camel = camel(kebab);
        return camel.substring(0, 1).toUpperCase(Locale.ROOT) + camel.substring(1);
    }
}
