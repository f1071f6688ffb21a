using System.Net;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.UnitTests;

public sealed class AdminActionTests
{
    private static RunInfo Run(string status, string? stage = null, string? reason = null, ValidationInfo? validation = null) =>
        new(Guid.NewGuid(), "shop.orders", null, status, stage is null && reason is null ? null : new RunFailure(stage, reason),
            DateTimeOffset.UnixEpoch, null, null, null, null, null, null, null, null, validation, null);

    [Fact]
    public void A_success_reads_the_api_answer()
    {
        var baseline = new SchemaBaselineInfo("shop.orders", 4, "accepted", Guid.NewGuid(), DateTimeOffset.UnixEpoch, "The schema of run x, accepted by a user.");
        var outcome = ActionOutcome.Of(new ApiResult<SchemaBaselineInfo>(baseline, HttpStatusCode.OK), "Accept schema", SchemaRecovery.Describe);

        Assert.True(outcome.Succeeded);
        Assert.Equal("The schema baseline of shop.orders is now version 4 (accepted): The schema of run x, accepted by a user.", outcome.Message);
    }

    [Fact]
    public void A_missing_scope_says_an_admin_key_is_needed_and_keeps_the_api_detail()
    {
        var refused = new ApiResult<ReplayInfo>(null, HttpStatusCode.Forbidden, "Forbidden", "This key lacks the 'admin' scope.");

        var outcome = ActionOutcome.Of(refused, "Replay of scoring-batches", DeadLetterQueues.Replayed);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("Replay of scoring-batches refused: it needs an API key with the 'admin' scope", outcome.Message);
        Assert.EndsWith("(This key lacks the 'admin' scope.)", outcome.Message);
    }

    [Fact]
    public void Another_problem_shows_the_api_detail_as_a_failure()
    {
        var unknown = new ApiResult<SchemaBaselineInfo>(null, HttpStatusCode.NotFound, "Unknown run", "Run 42 has not been validated.");

        var outcome = ActionOutcome.Of(unknown, "Accept schema", SchemaRecovery.Describe);

        Assert.False(outcome.Succeeded);
        Assert.Equal("Accept schema failed: Run 42 has not been validated.", outcome.Message);
        Assert.DoesNotContain("admin", outcome.Message);
    }

    [Fact]
    public void Only_a_run_failed_at_validation_for_breaking_drift_counts_as_blocked_by_drift()
    {
        var blocked = Run("failed", "validate", "Breaking schema drift under policy 'block': column 'note' is missing. If the new schema is right, accept it: ...");

        Assert.True(SchemaRecovery.BlockedBySchemaDrift(blocked));
        Assert.True(SchemaRecovery.HasSchemaToAccept(blocked));
        Assert.False(SchemaRecovery.BlockedBySchemaDrift(Run("failed", "score", "Breaking schema drift")));
        Assert.False(SchemaRecovery.BlockedBySchemaDrift(Run("failed", "validate", "Could not parse the batch: line 3")));
        Assert.False(SchemaRecovery.BlockedBySchemaDrift(Run("completed")));
    }

    [Fact]
    public void A_validated_run_has_a_schema_to_accept_and_an_unvalidated_failure_has_none()
    {
        var validated = Run("completed", validation: new ValidationInfo(98, null, 0, 2, null, null, 1));

        Assert.True(SchemaRecovery.HasSchemaToAccept(validated));
        Assert.False(SchemaRecovery.HasSchemaToAccept(Run("failed", "ingest", "Could not read the upload")));
        Assert.False(SchemaRecovery.HasSchemaToAccept(Run("running")));
    }

    [Fact]
    public void A_baseline_without_a_description_still_reads_as_a_sentence()
    {
        Assert.Equal("The schema baseline of d is now version 2 (reset).", SchemaRecovery.Describe(new SchemaBaselineInfo("d", 2, "reset", null, null, null)));
    }

    [Fact]
    public void Dead_letters_are_summed_over_queues_and_a_replay_says_what_moved()
    {
        IReadOnlyList<DeadLetterQueueInfo> queues = [new("scoring-batches", "scoring-batches_error", 3), new("scoring-events", "scoring-events_error", 0)];

        Assert.Equal(3, DeadLetterQueues.Waiting(queues));
        Assert.Equal(0, DeadLetterQueues.Waiting([]));
        Assert.Equal("Replayed 3 messages from q_error back to q.", DeadLetterQueues.Replayed(new ReplayInfo("q", 3)));
        Assert.Equal("Replayed 1 message from q_error back to q.", DeadLetterQueues.Replayed(new ReplayInfo("q", 1)));
        Assert.Equal("Nothing to replay: q_error held no message.", DeadLetterQueues.Replayed(new ReplayInfo("q", 0)));
    }
}
