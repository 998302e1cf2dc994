package dev.gatewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The deployment files pass real linters: the Helm chart ({@code helm lint --strict}, {@code helm template} output
 * against the Kubernetes API schemas and the chart's hardening rules in {@code src/test/deploy/validate-manifests.mjs}),
 * the compose file (dclint, docker-compose config), and the plain manifest is what the chart renders. The tools come
 * from {@code src/test/e2e/install-tools.sh}.
 */
@Tag("e2e") // needs helm, dclint, kubernetes-models and docker-compose from src/test/e2e/install-tools.sh: ./mvnw verify
class DeployManifestsTest {

    private static final Path CHART = Path.of("deploy/helm/gatewatch");
    private static final Path COMPOSE = Path.of("deploy/docker-compose.yml");
    private static final Path VALIDATOR = Path.of("src/test/deploy/validate-manifests.mjs");
    private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
    private static final Path OUT = Path.of("target/deploy-manifests");

    /** Where install-tools.sh puts the npm tools and helm; -Ddev.gatewatch.deploy-tools=… names another. */
    private static Path tools;
    private static Path helm;

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void tools() throws IOException {
        tools = Path.of(System.getProperty("dev.gatewatch.deploy-tools", System.getProperty("user.home") + "/.cache/gatewatch-tools/deploy"));
        helm = tools.resolve("bin/helm");
        for (Path p : List.of(helm, tools.resolve("node_modules/.bin/dclint"), tools.resolve("node_modules/kubernetes-models"), DOCKER_COMPOSE)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing: run src/test/e2e/install-tools.sh");
            }
        }
        Files.createDirectories(OUT);
    }

    @Test
    void chartPassesHelmLintStrictWithEveryValuesFile() throws IOException {
        for (Path values : valuesFiles()) {
            Run lint = run(Map.of(), helm.toString(), "lint", "--strict", CHART.toString(), "-f", values.toString());
            assertEquals(0, lint.exit(), values + ":\n" + lint.output());
            assertTrue(lint.output().contains("0 chart(s) failed"), lint.output());
        }
    }

    @Test
    void renderedChartMatchesKubernetesSchemasAndHardeningRules() throws IOException {
        List<String> command = new ArrayList<>(List.of("node", VALIDATOR.toString(), tools.toString()));
        for (Path values : valuesFiles()) {
            Path rendered = OUT.resolve(values.getFileName().toString().replace(".yaml", "") + ".rendered.yaml");
            Run template = run(Map.of(), helm.toString(), "template", "gw", CHART.toString(), "-f", values.toString());
            assertEquals(0, template.exit(), values + ":\n" + template.output());
            Files.writeString(rendered, template.output());
            command.add(rendered.toString());
        }
        Run validate = run(Map.of(), command.toArray(String[]::new));
        assertEquals(0, validate.exit(), validate.output());
        // all-features: 2 Services, 3 Deployments, StatefulSet, Secret, Ingress; external: Service, 2 Deployments
        // (central, checker "local"), Secret; the plain manifest: 2 Services, 2 Deployments, StatefulSet
        assertTrue(validate.output().contains("validate-manifests: 17 objects, 0 problems"), validate.output());
    }

    @Test
    void validatorRefusesAWritableRootFilesystemAndABadType() throws IOException {
        String manifest = Files.readString(Path.of("deploy/kubernetes/gatewatch.yaml"));
        Path broken = OUT.resolve("broken.yaml");
        Files.writeString(broken, manifest.replaceFirst("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")
                .replaceFirst("containerPort: 8080", "containerPort: \"8080\""));
        Run validate = run(Map.of(), "node", VALIDATOR.toString(), tools.toString(), broken.toString());
        assertEquals(1, validate.exit(), validate.output());
        assertTrue(validate.output().contains("container gatewatch: root filesystem not read-only"), validate.output());
        assertTrue(validate.output().contains("containerPort must be integer"), validate.output());
    }

    @Test
    void chartRefusesToRenderWithoutADatabasePasswordOrServer() throws IOException {
        Run noPassword = run(Map.of(), helm.toString(), "template", "gw", CHART.toString());
        assertNotEquals(0, noPassword.exit());
        assertTrue(noPassword.output().contains("the chart ships no database password"), noPassword.output());

        Run noServer = run(Map.of(), helm.toString(), "template", "gw", CHART.toString(), "--set", "database.password=x");
        assertNotEquals(0, noServer.exit());
        assertTrue(noServer.output().contains("set database.url (an external PostgreSQL) or postgresql.enabled=true"), noServer.output());

        Run badRegion = run(Map.of(), helm.toString(), "template", "gw", CHART.toString(), "--set", "database.password=x",
                "--set", "postgresql.enabled=true", "--set", "checkers.regions[0].name=EU_West");
        assertNotEquals(0, badRegion.exit());
        assertTrue(badRegion.output().contains("region name \"EU_West\" must be a DNS label"), badRegion.output());
    }

    @Test
    void plainManifestIsWhatTheChartRenders() throws IOException {
        Path committed = Path.of("deploy/kubernetes/gatewatch.yaml");
        Run template = run(Map.of(), helm.toString(), "template", "gatewatch", CHART.toString(), "-f", "deploy/kubernetes/values.yaml");
        assertEquals(0, template.exit(), template.output());
        String withoutHeader = Files.readString(committed).replaceFirst("(?s)\\A(#[^\n]*\n)+", "");
        assertEquals(template.output(), withoutHeader, committed + " is stale: run deploy/kubernetes/render.sh");
    }

    @Test
    void composeFilePassesDclintWithoutWarnings() throws IOException {
        // require-project-name-field: a top-level name is refused by Debian 12's docker-compose 1.29 (checked below)
        Run dclint = run(Map.of(), tools.resolve("node_modules/.bin/dclint").toString(), COMPOSE.toString(),
                "--color", "false", "--max-warnings", "0", "--disable-rule", "require-project-name-field");
        assertEquals(0, dclint.exit(), dclint.output());
    }

    @Test
    void composeFilePassesDockerComposeConfigAndNeedsAPassword() throws IOException {
        Run config = run(Map.of("GATEWATCH_DB_PASSWORD", "placeholder"), DOCKER_COMPOSE.toString(), "-f", COMPOSE.toString(), "config");
        assertEquals(0, config.exit(), config.output());
        assertTrue(config.output().contains("GATEWATCH_CHECKER_REGION: eu-west"), config.output());
        assertTrue(config.output().contains("read_only: true"), config.output());

        Run noPassword = run(Map.of(), DOCKER_COMPOSE.toString(), "-f", COMPOSE.toString(), "config", "-q");
        assertNotEquals(0, noPassword.exit());
        assertTrue(noPassword.output().contains("set GATEWATCH_DB_PASSWORD"), noPassword.output());
    }

    private static List<Path> valuesFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (var listing = Files.list(Path.of("deploy/helm/ci"))) {
            listing.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        files.add(Path.of("deploy/kubernetes/values.yaml"));
        return files;
    }

    private static Run run(Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("GATEWATCH_DB_PASSWORD");
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
