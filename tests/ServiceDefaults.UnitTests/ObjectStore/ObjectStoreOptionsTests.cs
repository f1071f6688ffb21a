using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.ServiceDefaults.UnitTests.ObjectStore;

public sealed class ObjectStoreOptionsTests
{
    [Fact]
    public void Parse_reads_every_part_of_the_connection_string_and_the_bucket()
    {
        var options = ObjectStoreOptions.Parse("Endpoint=http://127.0.0.1:9000;AccessKey=vigil;SecretKey=s3cr3t;Region=eu-west-1", "raw-batches");

        Assert.Equal(new Uri("http://127.0.0.1:9000"), options.Endpoint);
        Assert.Equal("vigil", options.AccessKey);
        Assert.Equal("s3cr3t", options.SecretKey);
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal("raw-batches", options.Bucket);
    }

    [Fact]
    public void Parse_reads_keys_in_any_order_and_case()
    {
        var options = ObjectStoreOptions.Parse("region=ap-south-1; secretkey=b ; ENDPOINT=https://minio.vigil.svc:9000 ;accesskey=a", null);

        Assert.Equal(new Uri("https://minio.vigil.svc:9000"), options.Endpoint);
        Assert.Equal("a", options.AccessKey);
        Assert.Equal("b", options.SecretKey);
        Assert.Equal("ap-south-1", options.Region);
    }

    [Fact]
    public void Parse_defaults_the_region_to_us_east_1()
    {
        Assert.Equal("us-east-1", ObjectStoreOptions.Parse("Endpoint=http://s3:9000;AccessKey=a;SecretKey=b", null).Region);
        Assert.Equal("us-east-1", ObjectStoreOptions.Parse("Endpoint=http://s3:9000;AccessKey=a;SecretKey=b;Region=", null).Region);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_defaults_the_bucket_to_vigil(string? bucket)
    {
        var options = ObjectStoreOptions.Parse("Endpoint=http://s3:9000;AccessKey=a;SecretKey=b", bucket);

        Assert.Equal("vigil", options.Bucket);
        Assert.Equal(ObjectStoreOptions.DefaultBucket, options.Bucket);
    }

    [Theory]
    [InlineData("AccessKey=a;SecretKey=b;Region=us-east-1", "Endpoint")]
    [InlineData("Endpoint=;AccessKey=a;SecretKey=b", "Endpoint")]
    [InlineData("Endpoint=http://s3:9000;SecretKey=b", "AccessKey")]
    [InlineData("Endpoint=http://s3:9000;AccessKey=a", "SecretKey")]
    [InlineData("", "Endpoint")]
    public void Parse_of_a_connection_string_without_a_required_part_names_that_part(string connectionString, string missing)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ObjectStoreOptions.Parse(connectionString, null));

        Assert.Equal($"The object store connection string has no {missing}.", error.Message);
    }

    [Fact]
    public void Parse_rejects_an_endpoint_that_is_not_an_absolute_uri()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ObjectStoreOptions.Parse("Endpoint=not a url;AccessKey=a;SecretKey=b", null));

        Assert.Contains("Endpoint", error.Message);
    }
}
