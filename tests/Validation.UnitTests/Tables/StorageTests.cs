using Vigil.Tabular.Tables;

namespace Vigil.Validation.UnitTests.Tables;

public sealed class StorageTests
{
    [Fact]
    public void Chunked_list_keeps_values_in_order_across_chunks()
    {
        var list = new ChunkedList<long>();
        var count = ChunkedList<long>.ChunkSize * 3 + 17;
        for (var i = 0; i < count; i++) list.Add(i * 3);
        list.AddRepeated(-1, 5);

        Assert.Equal(count + 5, list.Count);
        Assert.Equal(3L * (ChunkedList<long>.ChunkSize + 1), list[ChunkedList<long>.ChunkSize + 1]);
        var array = list.ToArray();
        Assert.Equal(count + 5, array.Length);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i * 3L).Concat(Enumerable.Repeat(-1L, 5)), array);
        Assert.Equal(array, list.MoveToArray());
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void Chunked_list_rejects_an_index_past_its_count()
    {
        var list = new ChunkedList<int>();
        list.Add(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
    }

    [Fact]
    public void Text_store_gives_back_every_text_whatever_its_length_and_where_it_falls()
    {
        var random = new Random(5);
        var texts = new List<string>();
        var store = new TextStore();
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(10) switch
            {
                0 => 0,
                1 => random.Next(TextStore.SlotSize - 10, TextStore.SlotSize + 1),
                2 when i % 50 == 0 => random.Next(TextStore.SlotSize + 1, 3 * TextStore.SlotSize),
                _ => random.Next(1, 40),
            };
            var text = new string((char)('a' + i % 26), length);
            texts.Add(text);
            Assert.True(store.TryAdd(text));
        }

        Assert.Equal(texts.Count, store.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(texts[i], store.Get(i).ToString());
        }
    }

    [Fact]
    public void Text_store_fills_a_slot_exactly_and_goes_on_in_the_next()
    {
        var store = new TextStore();
        var first = new string('a', TextStore.SlotSize - 3);
        store.TryAdd(first);
        store.TryAdd("bcd");
        store.TryAdd("efg");
        store.TryAdd(new string('h', TextStore.SlotSize));
        store.TryAdd("");
        store.TryAdd("i");

        Assert.Equal(first, store.Get(0).ToString());
        Assert.Equal("bcd", store.Get(1).ToString());
        Assert.Equal("efg", store.Get(2).ToString());
        Assert.Equal(new string('h', TextStore.SlotSize), store.Get(3).ToString());
        Assert.Equal("", store.Get(4).ToString());
        Assert.Equal("i", store.Get(5).ToString());
    }

    [Fact]
    public void Text_dictionary_gives_each_distinct_text_one_code_in_order_of_first_appearance()
    {
        var dictionary = new TextDictionary();
        var texts = Enumerable.Range(0, 5000).Select(i => $"value {i % 3000}").ToArray();

        var codes = texts.Select(t => dictionary.GetOrAdd(t, limit: 10_000)).ToArray();

        Assert.Equal(3000, dictionary.Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => i % 3000), codes);
        Assert.Equal("value 2999", dictionary[2999]);
    }

    [Fact]
    public void Text_dictionary_refuses_a_new_text_past_its_limit_but_still_finds_the_ones_it_has()
    {
        var dictionary = new TextDictionary();
        dictionary.GetOrAdd("a", limit: 2);
        dictionary.GetOrAdd("b", limit: 2);

        Assert.Equal(-1, dictionary.GetOrAdd("c", limit: 2));
        Assert.Equal(1, dictionary.GetOrAdd("b", limit: 2));
        Assert.Equal(["a", "b"], dictionary.ToArray());
    }

    [Fact]
    public void A_string_column_made_from_strings_reads_them_back_and_null_as_empty()
    {
        var column = Column.Strings("name", ["ann", null, "bo"], [false, true, false]);

        Assert.Equal(["ann", "", "bo"], Enumerable.Range(0, 3).Select(column.GetString));
        Assert.Equal("bo", column.GetStringSpan(2).ToString());
        Assert.Equal(1, column.NullCount);
    }

    [Fact]
    public void Text_accessors_of_a_numeric_column_throw()
    {
        var column = Column.Integers("n", [1, 2], [false, false]);

        Assert.Throws<InvalidOperationException>(() => column.GetStringSpan(0).Length);
        Assert.Throws<InvalidOperationException>(() => column.Categories);
        Assert.Throws<InvalidOperationException>(() => column.GetCategoryCode(0));
    }
}
