package dev.tenantprovisioner.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the figures, the conditions they were taken in, and each target met or missed. */
final class Report {

    private final Map<String, Figures> figures;
    private final List<FunctionBuild> builds;
    private final int coldRuns;
    private final int warmInvocations;

    Report(Map<String, Figures> figures, List<FunctionBuild> builds, int coldRuns, int warmInvocations) {
        this.figures = figures;
        this.builds = builds;
        this.coldRuns = coldRuns;
        this.warmInvocations = warmInvocations;
    }

    void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("date: ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append('\n');
        out.append("command: ")
                .append(System.getProperty("bench.command", "bench/cold-start.sh"))
                .append('\n');
        out.append("machine: ").append(System.getProperty("bench.machine", "?")).append('\n');
        out.append("jvm: ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.version"))
                .append(", flags ")
                .append(String.join(" ", ColdStart.LAMBDA_JVM_FLAGS))
                .append('\n');
        out.append("runs: ")
                .append(coldRuns)
                .append(" cold starts per build (medians), ")
                .append(warmInvocations)
                .append(" warm invocations after each; classes counted in a separate start with -Xlog:class+load\n");
        out.append(
                        "request: POST /provision of a new tenant (DynamoDB allocation on moto, ECS RunTask on a loopback fake;")
                .append(" with NOTIFY_WHEN=running no email is sent before the task runs)\n\n");
        out.append(
                "columns: init = spawn to first poll of the Runtime API; first inv = first event handed out to its answer;\n"
                        + "  first resp = spawn to first answer; warm = later invocations; loopback = time behind the relays in front\n"
                        + "  of moto and the ECS fake (request complete to answer passed back) during a warm invocation; overhead = warm minus loopback; classes = loaded before the first answer;\n"
                        + "  req/inv and conn/inv = requests to the stand-ins and connections opened to them per warm invocation;\n"
                        + "  cpu/inv = CPU time of the function's process (all its threads) per warm invocation (mean);\n"
                        + "  snapstart: init includes the beforeCheckpoint hooks (priming), and its first inv is what a function\n"
                        + "  restored from a snapshot would spend on its first request, the restore itself not counted\n");
        out.append(String.format(
                Locale.ROOT,
                "%-10s %10s %12s %14s %10s %11s %12s %9s %9s %8s %10s%n",
                "build",
                "init ms",
                "first inv ms",
                "first resp ms",
                "warm ms",
                "loopback ms",
                "overhead ms",
                "classes",
                "req/inv",
                "conn/inv",
                "cpu/inv ms"));
        for (FunctionBuild build : builds) {
            Figures f = figures.get(build.name());
            out.append(String.format(
                    Locale.ROOT,
                    "%-10s %10.1f %12.1f %14.1f %10.2f %11.2f %12.2f %9d %9.2f %8.2f %10.2f%n",
                    build.name(),
                    Figures.medianMillis(f.init),
                    Figures.medianMillis(f.firstInvocation),
                    Figures.medianMillis(f.firstResponse),
                    Figures.medianMillis(f.warm),
                    Figures.medianMillis(f.warmBackend),
                    Figures.medianMillis(f.warmOverhead),
                    f.classesBeforeFirstResponse,
                    f.perInvocation(f.warmRequests),
                    f.perInvocation(f.warmConnections),
                    f.perInvocation(f.warmCpuNanos) / 1e6));
        }
        out.append('\n').append(targets());
        Files.writeString(file, out.toString());
        System.out.print(out);
    }

    /** The current targets, for the builds named hello, project, snapstart and naive when they were measured. */
    private String targets() {
        Figures project = figures.get("project");
        if (project == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("targets:\n");
        double first = Figures.medianMillis(project.firstResponse);
        Figures naive = figures.get("naive");
        if (naive != null) {
            double naiveFirst = Figures.medianMillis(naive.firstResponse);
            out.append(String.format(Locale.ROOT, "  first response / naive's: %.3f%n", first / naiveFirst));
            out.append(verdict("first response <= 0.6x naive", first, naiveFirst * 0.6, false));
        }
        Figures cds = figures.get("cds");
        if (cds != null && naive != null) {
            double naiveFirst = Figures.medianMillis(naive.firstResponse);
            double cdsFirst = Figures.medianMillis(cds.firstResponse);
            out.append(String.format(
                    Locale.ROOT, "  cds (class data sharing) first response / naive's: %.3f%n", cdsFirst / naiveFirst));
            out.append(verdict("cds first response <= 0.6x naive", cdsFirst, naiveFirst * 0.6, false));
        }
        Figures snapStart = figures.get("snapstart");
        if (snapStart != null && naive != null) {
            double naiveFirst = Figures.medianMillis(naive.firstResponse);
            double restored = Figures.medianMillis(snapStart.firstInvocation);
            out.append(String.format(
                    Locale.ROOT, "  snapstart first inv / naive's first response: %.3f%n", restored / naiveFirst));
            out.append(verdict("snapstart first inv < 0.15x naive first resp", restored, naiveFirst * 0.15, true));
        }
        out.append(verdict("warm overhead median < 5 ms", Figures.medianMillis(project.warmOverhead), 5, true));
        return out.toString();
    }

    private static String verdict(String target, double value, double limit, boolean strictlyBelow) {
        boolean met = strictlyBelow ? value < limit : value <= limit;
        return String.format(
                Locale.ROOT, "  %-46s %10.1f vs %10.1f  %s%n", target, value, limit, met ? "MET" : "MISSED");
    }
}
