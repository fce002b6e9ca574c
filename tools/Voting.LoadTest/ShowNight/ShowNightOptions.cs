using System.Globalization;

namespace Voting.LoadTest;

/// <summary>Settings of the <c>show-night</c> subcommand.</summary>
internal sealed record ShowNightOptions
{
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:5000/");
    public int Viewers { get; init; } = 1_000;
    public int WindowSeconds { get; init; } = 60;
    public int Watchers { get; init; } = 200;
    public double SmsShare { get; init; } = 0.1;
    public double PaidShare { get; init; } = 0.3;
    public double BundleShare { get; init; } = 0.25;
    public int Contestants { get; init; } = 5;
    public int MaxRequestsPerViewer { get; init; } = 5;
    public int PerformanceMilliseconds { get; init; } = 500;

    /// <summary>The window VOTING_OPEN announces runs this much past the signalled close, so the signal (not the timer) closes it.</summary>
    public int CloseMarginSeconds { get; init; } = 5;
    public string AdminKey { get; init; } = "dev-admin-key";
    public string SignalSecret { get; init; } = "";
    public string? SmsSecret { get; init; }
    public int Connections { get; init; } = 64;
    public int SetupParallelism { get; init; } = 32;
    public int TimeoutSeconds { get; init; } = 30;
    public int VerifySample { get; init; } = 500;
    public int ResultsTimeoutSeconds { get; init; } = 60;
    public string? ReportDirectory { get; init; }
    public int Seed { get; init; }

    public int SmsViewers => (int)Math.Round(Viewers * SmsShare);
    public int AppViewers => Viewers - SmsViewers;
}

internal static partial class OptionsParser
{
    public static ShowNightOptions ParseShowNight(IReadOnlyList<string> args, TimeProvider time)
    {
        var o = new ShowNightOptions { Seed = (int)(time.GetUtcNow().ToUnixTimeMilliseconds() & int.MaxValue) };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value");
                return args[++i];
            }

            o = name switch
            {
                "--url" => o with { BaseUrl = ParseUrl(Value()) },
                "--viewers" => o with { Viewers = Int(name, Value(), 1, 1_000_000) },
                "--window" => o with { WindowSeconds = Int(name, Value(), 5, 3_600) },
                "--watchers" => o with { Watchers = Int(name, Value(), 0, 19_000) },
                "--sms-share" => o with { SmsShare = Share(name, Value()) },
                "--paid-share" => o with { PaidShare = Share(name, Value()) },
                "--bundle-share" => o with { BundleShare = Share(name, Value()) },
                "--contestants" => o with { Contestants = Int(name, Value(), 2, 20) },
                "--requests-per-viewer" => o with { MaxRequestsPerViewer = Int(name, Value(), 1, 5) },
                "--performance-ms" => o with { PerformanceMilliseconds = Int(name, Value(), 0, 600_000) },
                "--close-margin" => o with { CloseMarginSeconds = Int(name, Value(), 1, 3_600) },
                "--admin-key" => o with { AdminKey = NonEmpty(name, Value()) },
                "--signal-secret" => o with { SignalSecret = NonEmpty(name, Value()) },
                "--sms-secret" => o with { SmsSecret = NonEmpty(name, Value()) },
                "--connections" or "-c" => o with { Connections = Int(name, Value(), 1, 5_000) },
                "--setup-parallelism" => o with { SetupParallelism = Int(name, Value(), 1, 1_024) },
                "--timeout" => o with { TimeoutSeconds = Int(name, Value(), 1, 600) },
                "--verify-sample" => o with { VerifySample = Int(name, Value(), 0, 1_000_000) },
                "--results-timeout" => o with { ResultsTimeoutSeconds = Int(name, Value(), 1, 3_600) },
                "--report" => o with { ReportDirectory = NonEmpty(name, Value()) },
                "--seed" => o with { Seed = Int(name, Value(), 0, int.MaxValue) },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        if (o.SignalSecret.Length == 0)
            throw new UsageException("--signal-secret is required: the server's Broadcast:SigningSecret, which signs the control room's signals");
        if (o.SmsViewers > 0 && o.SmsSecret is null)
            throw new UsageException("--sms-secret is required when --sms-share is above 0: the server's Sms:Smart:Secret");
        if (o.AppViewers < 1) throw new UsageException("--sms-share leaves no app viewer: at least one viewer must sign in");
        return o;
    }

    private static double Share(string name, string text)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1)
            throw new UsageException($"{name} must be a fraction from 0 to 1, not '{text}'");
        return value;
    }
}
