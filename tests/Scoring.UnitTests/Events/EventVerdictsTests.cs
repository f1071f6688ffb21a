using Vigil.Contracts;
using Vigil.Scoring.Events;

namespace Vigil.Scoring.UnitTests.Events;

public sealed class EventVerdictsTests
{
    private static readonly EventScoringOptions Options = new() { ReviewZ = 4, BlockZ = 8, MinCount = 20 };

    [Fact]
    public void Without_a_model_the_largest_judged_z_decides()
    {
        EntityObservation[] observations =
        [
            new(0, "a-1", "amount", 10), new(0, "a-1", "fee", 1),
            new(1, "a-1", "amount", 500), new(1, "a-1", "fee", 1),
            new(2, "a-2", "amount", 60),
        ];
        ObservationScore[] scores = [new(50, 0.5), new(50, -1), new(51, 12), new(51, -5), new(30, 5)];

        var verdicts = EventVerdicts.Decide(3, observations, scores, model: null, Options);

        Assert.Equal(Decisions.Approve, verdicts[0].Decision);
        Assert.Equal((Decisions.Block, 100.0, 12.0), (verdicts[1].Decision, verdicts[1].Risk, verdicts[1].ZScore));
        Assert.Equal(["amount", "fee"], verdicts[1].TopFeatures);
        Assert.Equal((Decisions.Review, 62.5), (verdicts[2].Decision, verdicts[2].Risk));
    }

    [Fact]
    public void Entities_with_too_short_a_history_are_not_judged()
    {
        var verdicts = EventVerdicts.Decide(1, [new EntityObservation(0, "new", "amount", 1e6)], [new ObservationScore(19, 1e6)], null, Options);
        Assert.Equal((Decisions.Approve, 0.0, 0.0), (verdicts[0].Decision, verdicts[0].Risk, verdicts[0].ZScore));
        Assert.Empty(verdicts[0].TopFeatures);
    }
}
