using System.Diagnostics;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (scripts/lib/postgres.sh's throwaway cluster), so the
/// test can restart it under load without disturbing the shared server other tests use.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    private PrivatePostgres(int port, string dir, string bin)
    {
        Port = port;
        _dir = dir;
        _bin = bin;
    }

    public int Port { get; }

    /// <summary>What TestDatabase needs: a server it may create databases on.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var output = await BashAsync("pg_start_throwaway && echo \"$PG_PORT $PG_TMP $PG_BIN\"");
        var parts = output.Trim().Split('\n')[^1].Split(' ');
        return new PrivatePostgres(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1], parts[2]);
    }

    /// <summary>Stops the server as a crash would (immediate: no checkpoint, recovery on start) and starts it again.</summary>
    public Task RestartAsync(TimeSpan down) => BashAsync(
        $"PG_TMP={_dir}; PG_BIN={_bin}; _pg_as_owner \"$PG_BIN/pg_ctl\" -D \"$PG_TMP/data\" -m immediate -w -t 60 stop > /dev/null && " +
        $"sleep {down.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} && " +
        $"_pg_as_owner \"$PG_BIN/pg_ctl\" -D \"$PG_TMP/data\" -l \"$PG_TMP/pg.log\" -w -t 60 -o \"-p {Port}\" start > /dev/null");

    public async ValueTask DisposeAsync() => await BashAsync($"PG_TMP={_dir}; PG_BIN={_bin}; pg_stop_throwaway");

    private static async Task<string> BashAsync(string script)
    {
        var lib = Path.Combine(RepoRoot(), "scripts", "lib", "postgres.sh");
        var info = new ProcessStartInfo("bash", ["-c", $"source '{lib}' && {script}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(info) ?? throw new InvalidOperationException("could not run bash");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"postgres.sh failed ({p.ExitCode}): {await stderr}");
        return await stdout;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "lib", "postgres.sh"))) return dir.FullName;
        throw new InvalidOperationException("scripts/lib/postgres.sh not found above " + AppContext.BaseDirectory);
    }
}
