using System.Globalization;

namespace Voting.LoadTest;

/// <summary>Distinct, valid Cambodian mobile numbers, the same ones for the same seed.</summary>
internal static class PhoneGenerator
{
    private static readonly string[] Prefixes =
        ["10", "12", "15", "16", "17", "69", "70", "77", "78", "81", "85", "86", "87", "89", "92", "93", "95", "96", "99"];

    public static string[] Generate(int seed, int count)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var phones = new string[count];
        var n = 0;
        while (n < count)
        {
            var prefix = Prefixes[random.Next(Prefixes.Length)];
            var phone = string.Create(CultureInfo.InvariantCulture, $"0{prefix}{random.Next(10_000_000):D7}");
            if (seen.Add(phone)) phones[n++] = phone;
        }
        return phones;
    }
}
