namespace Vigil.Dashboard.ViewModels;

/// <summary>Page arithmetic for every list: 1-based page numbers, clamped to what exists.</summary>
public sealed record Pager(int Page, int Size, long Total)
{
    public const int DefaultSize = 25;

    /// <summary>The query parameter of the page number ("page" is taken by Razor Pages for the page path).</summary>
    public const string QueryName = "p";

    public static Pager For(int? page, int? size, long total = 0)
    {
        var s = Math.Clamp(size ?? DefaultSize, 1, 500);
        return new Pager(Math.Max(1, page ?? 1), s, total);
    }

    public int Offset => (Page - 1) * Size;

    public int Pages => Total == 0 ? 1 : (int)((Total + Size - 1) / Size);

    public bool HasPrevious => Page > 1;

    public bool HasNext => Page < Pages;

    public Pager WithTotal(long total) => this with { Total = total };

    /// <summary>The slice of an in-memory list this page shows.</summary>
    public IReadOnlyList<T> Slice<T>(IReadOnlyList<T> all) => [.. all.Skip(Offset).Take(Size)];

    public string Describe() => Total == 0 ? "none" : $"{Offset + 1}-{Math.Min(Offset + Size, Total)} of {Total}";
}
