using System.Runtime.InteropServices;
using System.Text.Json;
using Voting.TestSupport;

namespace Voting.LoadTest;

/// <summary>Settings of the <c>carrier</c> subcommand.</summary>
internal sealed record CarrierOptions
{
    public int Port { get; init; }
    public CarrierCredentials Credentials { get; init; } = CarrierCredentials.Test;
}

internal static partial class OptionsParser
{
    public static CarrierOptions ParseCarrier(IReadOnlyList<string> args)
    {
        var o = new CarrierOptions();
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
                "--port" => o with { Port = Int(name, Value(), 0, 65_535) },
                "--smart-secret" => o with { Credentials = o.Credentials with { SmartSecret = NonEmpty(name, Value()) } },
                "--cellcard-token" => o with { Credentials = o.Credentials with { CellcardToken = NonEmpty(name, Value()) } },
                "--metfone-key" => o with { Credentials = o.Credentials with { MetfoneKey = NonEmpty(name, Value()) } },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        return o;
    }
}

/// <summary>
/// The <c>carrier</c> subcommand: the tests' fake carrier (Voting.TestSupport's <see cref="FakeCarrier"/>)
/// as a process on 127.0.0.1 for benchmarks, counting what it accepts instead of keeping every
/// request. Runs until Ctrl+C or SIGTERM, then prints the counts (also at <c>GET /stats</c>).
/// </summary>
internal static class CarrierCommand
{
    public static async Task<int> RunAsync(CarrierOptions options, CancellationToken ct)
    {
        await using var carrier = await FakeCarrier.StartAsync(new FakeCarrierOptions(options.Port, Record: false, options.Credentials));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        Console.WriteLine($"listening on {carrier.Address} (POST /{{smart|cellcard|metfone}}/{{sms|charge|refund}}, GET /stats)");
        try
        {
            await carrier.WaitForShutdownAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine($"counts {JsonSerializer.Serialize(carrier.Counts.Snapshot())}");
        return 0;
    }
}
