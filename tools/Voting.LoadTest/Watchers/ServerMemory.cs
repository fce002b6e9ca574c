using System.Globalization;

namespace Voting.LoadTest.Watchers;

/// <summary>
/// The server's resident memory, read from /proc (Linux). The server is named by its pid, or
/// found as the process holding the listening socket on the target port.
/// </summary>
internal static class ServerMemory
{
    /// <summary>Resident set size in bytes, or null when the process is gone or /proc is not readable.</summary>
    public static long? RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The pid of the process listening on TCP <paramref name="port"/>, or null if none is found.</summary>
    public static int? FindListener(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                if (ListeningInode(line, port) is { } inode) inodes.Add(inode);
            }
        }
        if (inodes.Count == 0) return null;

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1])) return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just exited.
            }
        }
        return null;
    }

    /// <summary>
    /// A /proc/net/tcp line: "sl local_address rem_address st ... inode": the local address is
    /// hex "ADDR:PORT", state 0A is LISTEN, the inode is the tenth field.
    /// </summary>
    internal static string? ListeningInode(string line, int port)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 10 || f[3] != "0A") return null;
        var colon = f[1].LastIndexOf(':');
        if (colon < 0 || !int.TryParse(f[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p) || p != port) return null;
        return f[9] == "0" ? null : f[9];
    }
}
