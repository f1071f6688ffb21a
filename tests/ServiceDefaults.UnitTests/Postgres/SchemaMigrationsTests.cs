using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.Postgres;

namespace Vigil.ServiceDefaults.UnitTests.Postgres;

public sealed class SchemaMigrationsTests
{
    private const string Prefix = "Vigil.ServiceDefaults.UnitTests.Postgres.Migrations.";

    [Fact]
    public void Load_returns_only_the_embedded_sql_scripts_in_name_order()
    {
        var scripts = new SchemaMigrations("test", typeof(SchemaMigrationsTests).Assembly).Load();

        Assert.Equal([Prefix + "001_tables.sql", Prefix + "002_columns.sql", Prefix + "010_indexes.sql"], scripts.Select(s => s.Name));
    }

    [Fact]
    public void Load_reads_each_script_s_text()
    {
        var scripts = new SchemaMigrations("test", typeof(SchemaMigrationsTests).Assembly).Load();

        Assert.Equal(
            ["CREATE TABLE a (id int);", "ALTER TABLE a ADD COLUMN b text;", "CREATE INDEX c ON a (id);"],
            scripts.Select(s => s.Sql.Split('\n')[1].TrimEnd()));
    }

    [Fact]
    public void Load_finds_the_lineage_service_s_scripts_with_the_run_timeline_first()
    {
        var migrations = new SchemaMigrations("lineage", typeof(RunTimelineStore).Assembly);

        var script = migrations.Load()[0];

        Assert.Equal("Vigil.Lineage.Storage.001_run_timeline.sql", script.Name);
        Assert.Contains("CREATE TABLE runs", script.Sql);
        Assert.Equal("lineage", migrations.Schema);
    }

    [Fact]
    public void Load_of_an_assembly_without_scripts_is_empty()
    {
        Assert.Empty(new SchemaMigrations("none", typeof(SchemaMigrations).Assembly).Load());
    }
}
