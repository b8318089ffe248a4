package io.lambdatrades.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL contract of docs/architecture.md against the code: every table a module's SQL names
 * is its own, or is touched from a class the page lists for that table; and every class the page
 * lists still names it. SQL is found in string literals: {@code lambda.<name>}, or a literal that is a
 * table's name alone (how the serving views are picked by grain).
 */
class ArchitectureTest
{
    private static final Path HOME = Path.of(System.getProperty("lambda.home", "..")).toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("lambda-common", "lambda-embedded", "lambda-ingest", "lambda-batch", "lambda-speed",
            "lambda-scheduler", "lambda-serving", "lambda-launcher");
    private static final Pattern CREATED = Pattern.compile("CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TABLE|VIEW|FUNCTION)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:lambda\\.)?(\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern QUALIFIED = Pattern.compile("lambda\\.(\\w+)");
    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n\"]*", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyTableIsTouchedByItsOwnerOrFromAClassThePageLists()
    {
        Set<String> tables = tables();
        Map<String, Contract> contract = contract(tables);
        assertThat(contract.keySet()).as("every table and view of the migrations has its row in docs/architecture.md").containsAll(tables);

        List<String> undocumented = new ArrayList<>();
        Map<String, Set<String>> touching = new HashMap<>();
        for (String module : MODULES) {
            for (Path source : sources(module)) {
                String className = source.getFileName().toString().replace(".java", "");
                for (String table : namedTables(source, tables)) {
                    Contract row = contract.get(table);
                    if (row.owner().equals(module)) {
                        continue;
                    }
                    touching.computeIfAbsent(table, key -> new TreeSet<>()).add(className);
                    if (!row.classes().contains(className)) {
                        undocumented.add(module + " " + className + " names " + table + ", owned by " + row.owner());
                    }
                }
            }
        }
        assertThat(undocumented).as("statements on another module's table that docs/architecture.md does not list").isEmpty();
        // A row may hold several tables (the batch views): a class it lists must name one of them.
        List<String> stale = contract.values().stream().distinct()
                .flatMap(row -> row.classes().stream()
                        .filter(className -> row.tables().stream().noneMatch(table -> touching.getOrDefault(table, Set.of()).contains(className)))
                        .map(className -> className + " (listed for " + row.tables() + ")"))
                .sorted().toList();
        assertThat(stale).as("classes docs/architecture.md lists that no longer name the table").isEmpty();
    }

    private record Contract(Set<String> tables, String owner, Set<String> classes) {}

    /** The contract's table: the tables of a row, their owner module, and the classes of the last column. */
    private static Map<String, Contract> contract(Set<String> tables)
    {
        String page = read(HOME.resolve("docs/architecture.md"));
        // Only the contract's section: the page's other tables (module entries, launcher packages) have other columns.
        int start = page.indexOf("## The PostgreSQL contract");
        int end = page.indexOf("\n## ", start + 1);
        String section = page.substring(start, end < 0 ? page.length() : end);
        Map<String, Contract> contract = new HashMap<>();
        for (String line : section.lines().filter(line -> line.startsWith("| `")).toList()) {
            String[] cells = line.split("\\|", -1);
            String owner = codes(cells[2]).stream().findFirst().orElseThrow(() -> new AssertionError("no owner in " + line));
            Set<String> classes = codes(cells[4]).stream().filter(code -> Character.isUpperCase(code.charAt(0))).collect(Collectors.toSet());
            Set<String> rowTables = codes(cells[1]).stream().filter(tables::contains).collect(Collectors.toSet());
            Contract row = new Contract(rowTables, owner.equals("lambda-common") ? "migrations" : owner, classes);
            rowTables.forEach(table -> contract.put(table, row));
        }
        return contract;
    }

    private static List<String> codes(String cell)
    {
        Matcher matcher = CODE.matcher(cell);
        List<String> codes = new ArrayList<>();
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    private static Set<String> tables()
    {
        Set<String> tables = new TreeSet<>();
        for (Path migration : files(HOME.resolve("lambda-common/src/main/resources/io/lambdatrades/common/migration"), ".sql")) {
            Matcher matcher = CREATED.matcher(read(migration));
            while (matcher.find()) {
                tables.add(matcher.group(1));
            }
        }
        assertThat(tables).contains("speed_minute", "cutoff", "serving_latest");
        return tables;
    }

    private static Set<String> namedTables(Path source, Set<String> tables)
    {
        String code = COMMENT.matcher(read(source)).replaceAll("");
        List<String> literals = new ArrayList<>();
        Matcher blocks = TEXT_BLOCK.matcher(code);
        while (blocks.find()) {
            literals.add(blocks.group(1));
        }
        Matcher strings = LITERAL.matcher(TEXT_BLOCK.matcher(code).replaceAll(""));
        while (strings.find()) {
            literals.add(strings.group(1));
        }
        Set<String> named = new TreeSet<>();
        for (String literal : literals) {
            Matcher qualified = QUALIFIED.matcher(literal);
            while (qualified.find()) {
                if (tables.contains(qualified.group(1))) {
                    named.add(qualified.group(1));
                }
            }
            // A name alone counts only when it cannot be a word of a message ("cutoff" is one).
            if (tables.contains(literal) && literal.contains("_")) {
                named.add(literal);
            }
        }
        return named;
    }

    private static List<Path> sources(String module)
    {
        return files(HOME.resolve(module).resolve("src/main/java"), ".java");
    }

    private static List<Path> files(Path root, String suffix)
    {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> path.toString().endsWith(suffix)).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path)
    {
        try {
            return Files.readString(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
