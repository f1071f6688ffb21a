using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>
/// Tests that stop, hang or restart shared servers get an application of their own, so that the faults they inject
/// never disturb the tests of the shared <see cref="VigilAppCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<VigilAppFixture>
{
    public const string Name = "Vigil application under faults";
}
