using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class VoterMaskTests
{
    [Theory]
    [InlineData("Sophea", "012345645", "So***a")]
    [InlineData("  Dara  ", "012345645", "Da***a")]
    [InlineData("Bo", "012345645", "B***")]
    [InlineData("Kim", "012345645", "K***")]
    [InlineData("Vuthy Sok", "012345645", "Vu***k")]
    [InlineData(null, "012345645", "012***45")]
    [InlineData("", "0961234567", "096***67")]
    [InlineData("   ", "0961234567", "096***67")]
    [InlineData(null, "01234", "0***")]
    public void NamesKeepTwoLettersAndTheLastAndPhonesThreeDigitsAndTheLastTwo(string? name, string phone, string masked) =>
        Assert.Equal(masked, VoterMask.Mask(name, phone));

    [Fact]
    public void AKhmerNameKeepsItsMarksWithTheirLetters()
    {
        // សុភា: ស + ុ (a vowel sign) is one text element, ភ + ា another.
        var masked = VoterMask.Mask("ចាន់ សុភា", "012345645");

        Assert.StartsWith("ចា", masked, StringComparison.Ordinal);
        Assert.EndsWith("***ភា", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("សុ", masked, StringComparison.Ordinal);
    }
}
