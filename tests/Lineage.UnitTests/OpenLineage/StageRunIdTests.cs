using Vigil.Lineage.OpenLineage;

namespace Vigil.Lineage.UnitTests.OpenLineage;

public sealed class StageRunIdTests
{
    [Fact]
    public void Name_based_ids_match_the_rfc_9562_version_5_example()
    {
        var dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2"), StageRunId.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void A_stage_run_id_is_a_version_5_uuid_stable_per_run_and_stage()
    {
        var run = Guid.CreateVersion7();

        var ingest = StageRunId.For(run, "ingest");

        Assert.Equal(5, ingest.Version);
        Assert.Equal(ingest, StageRunId.For(run, "ingest"));
        Assert.NotEqual(ingest, StageRunId.For(run, "validate"));
        Assert.NotEqual(ingest, StageRunId.For(Guid.CreateVersion7(), "ingest"));
    }
}
