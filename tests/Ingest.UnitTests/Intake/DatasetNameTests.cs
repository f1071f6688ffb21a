using Vigil.Contracts;

namespace Vigil.Ingest.UnitTests.Intake;

public sealed class DatasetNameTests
{
    [Theory]
    [InlineData("banking.transactions")]
    [InlineData("banking")]
    [InlineData("card_payments.eu-west")]
    [InlineData("2024.ledger")]
    [InlineData("a")]
    public void IsValid_accepts_lower_case_dotted_names(string name) => Assert.True(DatasetNames.IsValid(name));

    [Theory]
    [InlineData("Banking.transactions")]
    [InlineData("BANKING")]
    [InlineData("banking transactions")]
    [InlineData(" banking")]
    [InlineData("banking..transactions")]
    [InlineData(".banking")]
    [InlineData("-banking")]
    [InlineData("_banking")]
    [InlineData("banking/transactions")]
    [InlineData("../etc")]
    [InlineData("")]
    public void IsValid_rejects_names_that_are_not_lower_case_dotted_identifiers(string name) => Assert.False(DatasetNames.IsValid(name));

    [Fact]
    public void IsValid_accepts_128_characters_and_rejects_129()
    {
        Assert.True(DatasetNames.IsValid(new string('a', 128)));
        Assert.False(DatasetNames.IsValid(new string('a', 129)));
    }

    [Fact]
    public void IsValid_rejects_a_trailing_newline() => Assert.False(DatasetNames.IsValid("banking.transactions\n"));
}
