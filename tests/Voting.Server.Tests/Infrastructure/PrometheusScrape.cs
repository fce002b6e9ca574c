using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>One scrape of /metrics, read as Prometheus text: series by name and labels.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    public PrometheusScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = Series().Match(line);
            Assert.True(m.Success, $"not a Prometheus series line: {line}");
            var labels = Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            _series.Add((m.Groups["name"].Value, labels, ParseValue(m.Groups["value"].Value)));
        }
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> OfAsync(VotingTestServer server, string path = "/metrics")
    {
        var (status, text) = await server.Api.GetTextAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path} answered {(int)status}: {text}");
        return new PrometheusScrape(text);
    }

    /// <summary>The sum of the series of <paramref name="name"/> whose labels include <paramref name="labels"/> ("key=value"); 0 when there is none.</summary>
    public double Value(string name, params string[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l[..l.IndexOf('=', StringComparison.Ordinal)]) == l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .Sum(s => s.Value);

    public bool Has(string name) => _series.Any(s => s.Name == name);

    /// <summary>Scrapes until <paramref name="holds"/> (the exporter caches and gauges are read as they are); fails with the last text.</summary>
    public static async Task<PrometheusScrape> UntilAsync(VotingTestServer server, Func<PrometheusScrape, bool> holds, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var scrape = await OfAsync(server);
            if (holds(scrape)) return scrape;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}; last scrape:\n{scrape.Text}");
            await Task.Delay(100);
        }
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$")]
    private static partial Regex Series();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
