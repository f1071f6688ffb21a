using Vigil.Scoring.Models;

namespace Vigil.Scoring.UnitTests.Models;

public sealed class EngineSlotTests
{
    private sealed class Session : IDisposable
    {
        public int Disposed { get; private set; }
        public void Dispose() => Disposed++;
    }

    private static (ScoringEngines.EngineSlot Slot, Session Session) LoadedSlot()
    {
        var session = new Session();
        var slot = new ScoringEngines.EngineSlot(() => Task.FromResult(new ScoringEngines.Loaded(new ScoringEngine(null, "test"), [session])));
        _ = slot.Loading.Value;
        return (slot, session);
    }

    [Fact]
    public void A_version_released_from_the_cache_keeps_its_sessions_until_the_last_batch_using_it_returns_its_lease()
    {
        var (slot, session) = LoadedSlot();
        slot.Acquire();
        slot.Acquire();

        slot.Retire();
        slot.Release();
        Assert.Equal(0, session.Disposed);

        slot.Release();
        Assert.Equal(1, session.Disposed);
    }

    [Fact]
    public void A_version_released_while_unused_closes_its_sessions_at_once()
    {
        var (slot, session) = LoadedSlot();
        slot.Acquire();
        slot.Release();
        Assert.Equal(0, session.Disposed);

        slot.Retire();

        Assert.Equal(1, session.Disposed);
    }
}
