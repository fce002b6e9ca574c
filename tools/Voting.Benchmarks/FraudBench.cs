using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Voting.Domain.Fraud;
using Voting.Server.Fraud;

/// <summary>
/// The CPU cost of scoring one vote, apart from HTTP and the store: what the vote path does per
/// vote when Fraud:Enabled is on (the voter's attempt and signals, the device count, the IP's proxy
/// and country lookups in ranges files the size of Tor's geoip tables, the pure rules, and what an
/// accepted vote adds to the signals), on one thread and on every core, with the bytes allocated.
/// Voters vote in turn at a steady cadence, so the timing and velocity rules do their full work.
/// </summary>
internal static class FraudBench
{
    public static void Run(string[] args)
    {
        var voters = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000_000;
        var dir = Directory.CreateTempSubdirectory("xfactor-fraud-bench-");
        try
        {
            // Tor's geoip has about 200,000 IPv4 ranges and 60,000 IPv6 ones; a proxy list a few thousand networks.
            var geo = Path.Combine(dir.FullName, "geoip");
            File.WriteAllLines(geo, Enumerable.Range(0, 200_000).Select(i => $"{(uint)i * 20_000u},{(uint)i * 20_000u + 19_999u},{(i % 7 == 0 ? "KH" : "TH")}"));
            var proxies = Path.Combine(dir.FullName, "proxies");
            File.WriteAllLines(proxies, Enumerable.Range(0, 5_000).Select(i => $"{10 + i / 250}.{i % 250}.0.0/24"));
            var options = Options.Create(new FraudOptions { GeoRangesFile = geo, ProxyRangesFile = proxies, AllowedCountries = "KH,TH" });
            var ips = new IpIntelligence(options);
            var settings = options.Value.ToSettings();
            var addresses = Enumerable.Range(0, 1024).Select(i => $"{1 + i % 200}.{i % 256}.{(i * 7) % 256}.{i % 250 + 1}").ToArray();
            Console.WriteLine($"fraud scoring: {voters} voters, {calls} votes, {ips.Countries!.Count} country ranges, {ips.Proxies!.Count} proxy networks");

            foreach (var threads in new[] { 1, Environment.ProcessorCount })
            {
                var signals = new FraudSignals();
                var per = calls / threads;
                Once(signals, ips, settings, addresses, voters, 0, Math.Min(per, 200_000), 0); // warm-up (JIT, tiering, dictionaries)
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    t => Once(signals, ips, settings, addresses, voters, t, per, 1));
                sw.Stop();
                var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
                var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                var n = (double)per * threads;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {threads} thread(s): {n / sw.Elapsed.TotalSeconds:N0} votes/s scored, {cpuUs * 1000 / n:F0} ns CPU per vote, {bytes / n:F0} bytes allocated per vote"));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void Once(FraudSignals signals, IpIntelligence ips, FraudSettings settings, string[] addresses, int voters, int thread, int calls, int pass)
    {
        var pending = 0;
        for (var i = 0; i < calls; i++)
        {
            var voter = (long)((i * 7919L + thread) % voters) + 1;
            // Each voter every `voters` votes, 1 ms a vote: a steady cadence.
            var now = 1_700_000_000_000L + (long)pass * calls + i;
            var ip = addresses[i & 1023];
            var device = "device-" + (voter % 5000).ToString(CultureInfo.InvariantCulture);
            var (recent, attempts) = signals.Attempt(voter, now);
            var address = IPAddress.Parse(ip);
            var inputs = new FraudInputs(recent, 1, signals.VotersOnDevice(9, device, voter), ips.IsProxy(address), ips.CountryOf(address),
                false, attempts, null);
            var score = FraudScoring.Score(inputs, settings);
            if (score.Outcome != FraudOutcome.Block)
            {
                signals.Accepted(voter, now, 1);
                signals.DeviceUsed(9, device, voter, now);
            }
            else pending++;
        }
        GC.KeepAlive(pending);
    }
}
