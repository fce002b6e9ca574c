using System.Globalization;
using System.Text;

namespace Voting.Server.Analytics;

/// <summary>One table of the report as CSV (RFC 4180): a header row, then one row per item.</summary>
public static class AnalyticsCsv
{
    public static readonly IReadOnlyList<string> Sections = ["timeline", "demographics", "geographic", "payment_methods", "contestant_analysis"];

    public static string Write(AnalyticsDto report, string section)
    {
        var rows = section switch
        {
            "timeline" => Table(["time", "votes", "rate"],
                report.Timeline.PerMinute.Select(m => Row(Time(m.Time), m.Votes, m.Rate))),
            "demographics" => Table(["dimension", "label", "voters"],
                Pairs("by_tier", report.Demographics.ByTier).Concat(Pairs("by_age_group", report.Demographics.ByAgeGroup))
                    .Concat(Pairs("by_gender", report.Demographics.ByGender))
                    .Append(Row("new_vs_returning", "new", report.Demographics.NewVsReturning.New))
                    .Append(Row("new_vs_returning", "returning", report.Demographics.NewVsReturning.Returning))),
            "geographic" => Table(["province", "votes"], report.Geographic.ByProvince.Select(kv => Row(kv.Key, kv.Value))),
            "payment_methods" => Table(["dimension", "label", "value"],
                Pairs("by_type", report.PaymentMethods.ByType).Concat(Pairs("by_amount", report.PaymentMethods.ByAmount))),
            "contestant_analysis" => Table(
                ["contestant_id", "name", "total_votes", "unique_voters", "free_votes", "paid_votes", "bundle_votes", "sms_votes", "momentum_score", "predicted_rank"],
                report.ContestantAnalysis.Select(c => Row(c.ContestantId, c.Name, c.TotalVotes, c.UniqueVoters, c.VoteSources["free"], c.VoteSources["paid"],
                    c.VoteSources["bundle"], c.VoteSources["sms"], c.MomentumScore, c.PredictedRank))),
            _ => throw new ArgumentOutOfRangeException(nameof(section), section, "not a section of the report"),
        };
        return rows;
    }

    private static IEnumerable<string> Pairs(string dimension, IReadOnlyDictionary<string, long> values) =>
        values.Select(kv => Row(dimension, kv.Key, kv.Value));

    private static string Table(string[] header, IEnumerable<string> rows)
    {
        var text = new StringBuilder().Append(string.Join(',', header)).Append("\r\n");
        foreach (var row in rows) text.Append(row).Append("\r\n");
        return text.ToString();
    }

    private static string Row(params object[] cells) => string.Join(',', cells.Select(Cell));

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A number as is; text quoted when it holds a comma, quote or line break, and prefixed with an
    /// apostrophe when it starts like a spreadsheet formula (a contestant named "=1+1" stays text).
    /// </summary>
    private static string Cell(object value)
    {
        if (value is IFormattable number) return number.ToString(null, CultureInfo.InvariantCulture);
        var text = value.ToString() ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
