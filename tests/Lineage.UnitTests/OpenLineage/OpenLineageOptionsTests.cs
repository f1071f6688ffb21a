using Vigil.Lineage.OpenLineage;

namespace Vigil.Lineage.UnitTests.OpenLineage;

public sealed class OpenLineageOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new OpenLineageOptions().IsValid(out var problem), problem);
    }

    [Theory]
    [InlineData("", "https://vigil.test", "https://vigil.test/facets/", "Namespace")]
    [InlineData("vigil", "not a uri", "https://vigil.test/facets/", "Producer")]
    [InlineData("vigil", "https://vigil.test", "facets/", "FacetSchemaBaseUrl")]
    public void Options_name_the_setting_that_is_wrong(string ns, string producer, string facetBase, string setting)
    {
        var options = new OpenLineageOptions { Namespace = ns, Producer = producer, FacetSchemaBaseUrl = facetBase };

        Assert.False(options.IsValid(out var problem));
        Assert.Contains(setting, problem);
    }

    [Fact]
    public void Objects_are_named_in_the_s3_namespace_of_the_bucket_and_facet_schemas_under_the_base_url()
    {
        var settings = OpenLineageSettings.From(new OpenLineageOptions { FacetSchemaBaseUrl = "https://vigil.test/api/lineage/spec/facets" }, "lake");

        Assert.Equal("s3://lake", settings.ObjectStoreNamespace);
        Assert.Equal("https://vigil.test/api/lineage/spec/facets/F.json#/$defs/F", settings.CustomFacetSchema("F.json", "F"));
    }
}
