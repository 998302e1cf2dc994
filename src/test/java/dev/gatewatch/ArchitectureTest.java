package dev.gatewatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import dev.gatewatch.account.CurrentOwner;
import dev.gatewatch.account.OwnedMonitors;
import dev.gatewatch.account.web.Csrf;
import dev.gatewatch.check.CheckResult;
import dev.gatewatch.check.ErrorClass;
import dev.gatewatch.check.FastConfirmation;
import dev.gatewatch.check.LiveRegions;
import dev.gatewatch.check.ResultNotices;
import dev.gatewatch.check.cdn.ErrorSource;

/**
 * The one-way imports of the house style (docs/architecture.md, "Package rules"): each top-level package of the
 * production code may depend on itself, on what its row allows and on libraries, and on nothing else. Plain JUnit
 * tests rather than {@code @ArchTest} fields, which Surefire 3.5.3 silently skips (TNG/ArchUnit#1442).
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.gatewatch");

    /** The shared kernel: what any feature may use. */
    private static final Allowed KERNEL = Allowed.packages("api", "config", "target")
            .and(CurrentOwner.class, OwnedMonitors.class, Csrf.class);

    /**
     * What the analyzer may take from check: the stored result's vocabulary, its one door into the schedule, which
     * regions are live, and the format of the notices the writer sends through PostgreSQL.
     */
    private static final Allowed CHECK_RECORDS = Allowed.classes(CheckResult.class, ErrorClass.class, ErrorSource.class,
            FastConfirmation.class, LiveRegions.class, ResultNotices.class);

    private static final List<Row> TABLE = List.of(
            // package          may use (besides itself)              why
            new Row("config",    Allowed.NOTHING,                     "every package reads the configuration tree, so it reads none"),
            new Row("api",       Allowed.packages("config"),          "problems, paging and SQL helpers sit below every feature"),
            new Row("target",    Allowed.packages("config"),          "the SSRF guard classifies addresses; only its allow-list is configured"),
            new Row("account",   KERNEL,                              "owners, logins and tokens; the kernel's owner classes live here"),
            new Row("health",    KERNEL,                              "liveness reads the database, not the features"),
            new Row("monitor",   KERNEL,                              "registration stands alone; it guards targets through the kernel"),
            new Row("check",     KERNEL.and("monitor"),               "a check runs a monitor's definition"),
            new Row("analysis",  KERNEL.and(CHECK_RECORDS),           "results reach the analyzer through the database, never by a call from check"),
            new Row("alerting",  KERNEL.and("analysis.model"),        "an alert carries the analysis's verdict values, nothing of how they were found"),
            new Row("diagnosis", KERNEL.and("monitor", "check", "analysis"), "an on-demand check runs the probe in every region and is read as the analyzer reads checks"),
            new Row("dashboard", Allowed.EVERYTHING,                  "the dashboard reads everything"));

    @TestFactory
    Stream<DynamicTest> eachPackageDependsOnlyOnWhatItsRowAllows() {
        return TABLE.stream().map(row -> DynamicTest.dynamicTest(row.pkg(), () -> row.rule().check(PRODUCTION)));
    }

    @Test
    void everyPackageHasARow() {
        classes().should().resideInAnyPackage(TABLE.stream().map(r -> "dev.gatewatch." + r.pkg() + "..").toArray(String[]::new))
                .because("a new top-level package needs its row in this table")
                .check(PRODUCTION);
    }

    @Test
    void nothingDependsOnDashboard() {
        noClasses().that().resideOutsideOfPackage("dev.gatewatch.dashboard..")
                .should().dependOnClassesThat().resideInAPackage("dev.gatewatch.dashboard..")
                .because("the dashboard is the top: it reads every feature and none reads it")
                .check(PRODUCTION);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.gatewatch.(*)..").should().beFreeOfCycles().check(PRODUCTION);
    }

    @Test
    void theRulesSeeTheProductionCode() {
        // an import that found nothing would pass every rule above
        assertTrue(PRODUCTION.contain("dev.gatewatch.analysis.service.AnalysisService"), "production classes imported");
        assertFalse(PRODUCTION.contain(ArchitectureTest.class), "test classes left out");
    }

    private record Row(String pkg, Allowed allowed, String why) {

        ArchRule rule() {
            return classes().that().resideInAPackage("dev.gatewatch." + pkg + "..")
                    .should().onlyDependOnClassesThat(allowed.and(pkg).predicate())
                    .because(why);
        }
    }

    /** Packages (under dev.gatewatch, with their subpackages) and single classes (with their nested classes). */
    private record Allowed(List<String> packages, List<Class<?>> classes) {

        static final Allowed NOTHING = new Allowed(List.of(), List.of());
        static final Allowed EVERYTHING = packages("*");

        static Allowed packages(String... packages) {
            return NOTHING.and(packages);
        }

        static Allowed classes(Class<?>... classes) {
            return NOTHING.and(classes);
        }

        Allowed and(String... more) {
            List<String> p = new ArrayList<>(packages);
            p.addAll(Arrays.asList(more));
            return new Allowed(p, classes);
        }

        Allowed and(Class<?>... more) {
            List<Class<?>> c = new ArrayList<>(classes);
            c.addAll(Arrays.asList(more));
            return new Allowed(packages, c);
        }

        Allowed and(Allowed other) {
            return and(other.packages.toArray(String[]::new)).and(other.classes.toArray(Class<?>[]::new));
        }

        DescribedPredicate<JavaClass> predicate() {
            DescribedPredicate<JavaClass> p = JavaClass.Predicates.resideOutsideOfPackage("dev.gatewatch..");
            for (String pkg : packages) {
                p = p.or(JavaClass.Predicates.resideInAPackage(pkg.equals("*") ? "dev.gatewatch.." : "dev.gatewatch." + pkg + ".."));
            }
            if (!classes.isEmpty()) {
                p = p.or(JavaClass.Predicates.belongToAnyOf(classes.toArray(Class<?>[]::new)));
            }
            return p.as("are libraries or in " + String.join(", ", packages) + (classes.isEmpty() ? "" : " or are "
                    + String.join(", ", classes.stream().map(Class::getSimpleName).toList())));
        }
    }
}
