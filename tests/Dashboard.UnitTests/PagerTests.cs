using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.UnitTests;

public sealed class PagerTests
{
    [Theory]
    [InlineData(1, 25, 0, 1, false, false)]
    [InlineData(1, 25, 25, 1, false, false)]
    [InlineData(1, 25, 26, 2, false, true)]
    [InlineData(2, 25, 26, 2, true, false)]
    [InlineData(3, 10, 100, 10, true, true)]
    public void Pages_are_counted_from_the_total(int page, int size, long total, int pages, bool previous, bool next)
    {
        var pager = Pager.For(page, size, total);

        Assert.Equal(pages, pager.Pages);
        Assert.Equal(previous, pager.HasPrevious);
        Assert.Equal(next, pager.HasNext);
        Assert.Equal((page - 1) * size, pager.Offset);
    }

    [Fact]
    public void Bad_page_numbers_and_sizes_are_clamped()
    {
        Assert.Equal(1, Pager.For(-3, null).Page);
        Assert.Equal(Pager.DefaultSize, Pager.For(1, null).Size);
        Assert.Equal(500, Pager.For(1, 100_000).Size);
        Assert.Equal(1, Pager.For(1, 0).Size);
    }

    [Fact]
    public void A_slice_is_the_page_of_the_list_and_the_description_names_its_range()
    {
        var items = Enumerable.Range(1, 60).ToList();
        var pager = Pager.For(3, 25, items.Count);

        Assert.Equal(Enumerable.Range(51, 10), pager.Slice(items));
        Assert.Equal("51-60 of 60", pager.Describe());
        Assert.Equal("none", Pager.For(1, 25, 0).Describe());
    }
}
