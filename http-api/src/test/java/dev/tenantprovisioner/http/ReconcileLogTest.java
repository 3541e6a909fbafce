package dev.tenantprovisioner.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a reconciler round is logged: its counts as metrics in its line, and a line per repair with its reason. */
class ReconcileLogTest {

    private static final ReconcileTenants.Action ORPHAN = new ReconcileTenants.Action(
            ReconcileTenants.Kind.ORPHAN_STOPPED,
            TenantId.of("stray"),
            Optional.of(TaskId.of("task-9")),
            "no lease names it: the tenant has no lease");
    private static final ReconcileTenants.Action STUCK = new ReconcileTenants.Action(
            ReconcileTenants.Kind.STUCK_FAILED,
            TenantId.of("slow"),
            Optional.empty(),
            "stuck port_allocated since ...");
    private static final ReconcileTenants.Action MOVED_ON = new ReconcileTenants.Action(
            ReconcileTenants.Kind.STUCK_FINISHED,
            TenantId.of("late"),
            Optional.of(TaskId.of("task-3")),
            "stuck container_started since ...");

    private static String emitted(java.util.function.Consumer<PrintStream> writer) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        writer.accept(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenARoundWithRepairs_whenSummarised_thenEachKindIsCountedUnderItsMetricAndTheLineStaysInfo() {
        ReconcileTenants.Report report = new ReconcileTenants.Report(4, 7, List.of(ORPHAN, STUCK, MOVED_ON), 0);
        RequestLog line = new RequestLog("round-1");

        ReconcileLog.summarise(report, line);
        String text = emitted(line::emit);

        assertThat(text)
                .contains("\"reconciledTasks\":4")
                .contains("\"reconciledLeases\":7")
                .contains("\"reconcileActions\":3")
                .contains("\"reconcileStillFailing\":0")
                .contains("\"OrphansReconciled\":1")
                .contains("\"StuckLeasesReconciled\":2")
                .contains("\"LostTasksReconciled\":0")
                .contains("\"AdoptedTasksReconciled\":0")
                .contains("\"SuspendedTasksReconciled\":0")
                .contains("\"level\":\"INFO\"");
    }

    @Test
    void givenARoundThatCouldNotLookAtEverything_whenSummarised_thenTheLineIsAWarning() {
        RequestLog line = new RequestLog("round-2");

        ReconcileLog.summarise(new ReconcileTenants.Report(1, 1, List.of(), 1), line);

        assertThat(emitted(line::emit)).contains("\"level\":\"WARN\"").contains("\"reconcileStillFailing\":1");
    }

    @Test
    void givenRepairs_whenLogged_thenALinePerRepairWithItsKindTenantTaskAndReason() {
        ReconcileTenants.Report report = new ReconcileTenants.Report(2, 2, List.of(ORPHAN, STUCK), 0);

        List<String> lines = emitted(
                        out -> ReconcileLog.actions(report, "round-3", Map.of("functionName", "sweep"), out))
                .lines()
                .toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("\"requestId\":\"round-3\"")
                .contains("\"functionName\":\"sweep\"")
                .contains("\"route\":\"reconcile\"")
                .contains("\"action\":\"orphan_stopped\"")
                .contains("\"tenant\":\"stray\"")
                .contains("\"task\":\"task-9\"")
                .contains("\"reason\":\"no lease names it: the tenant has no lease\"")
                .contains("\"level\":\"WARN\"");
        assertThat(lines.get(1)).contains("\"action\":\"stuck_failed\"").doesNotContain("\"task\"");
    }

    @Test
    void givenRepairs_whenAnswered_thenEachWithItsTaskOrNull() {
        Map<String, Object> body = ReconcileLog.json(new ReconcileTenants.Report(2, 3, List.of(ORPHAN, STUCK), 1));

        assertThat(body).containsEntry("tasks", 2).containsEntry("leases", 3).containsEntry("stillFailing", 1);
        assertThat(body.get("actions").toString())
                .contains("taskId=task-9")
                .contains("taskId=null")
                .contains("action=stuck_failed")
                .contains("tenantId=slow");
    }
}
