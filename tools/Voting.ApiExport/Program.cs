using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Voting.Server;

// Writes the documents a real server serves, /openapi/v1.json and /asyncapi/v1.json, into a folder
// (for the linters and the client generator): the voting host on a throwaway SQLite database and a
// free loopback port, asked over HTTP like any client would.
//
//   dotnet run --project tools/Voting.ApiExport -- OUT_DIR [PUBLIC_SERVER_URL]
if (args.Length is 0 or > 2)
{
    await Console.Error.WriteLineAsync("usage: Voting.ApiExport OUT_DIR [PUBLIC_SERVER_URL]");
    return 2;
}
var output = Directory.CreateDirectory(args[0]);
var data = Directory.CreateTempSubdirectory("xfactor-apidocs-");
try
{
    var settings = new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "sqlite",
        ["ConnectionStrings:Voting"] = $"Data Source={Path.Combine(data.FullName, "voting.db")};Pooling=False",
        ["Demo:Enabled"] = "false",
        ["ApiDocs:ServerUrl"] = args.Length > 1 ? args[1] : null,
        ["Logging:LogLevel:Default"] = "Error",
    };
    var app = VotingApp.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0"],
        b => b.Configuration.AddInMemoryCollection(settings));
    await app.StartAsync();
    try
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        foreach (var (path, file) in new[] { ("/openapi/v1.json", "openapi.json"), ("/asyncapi/v1.json", "asyncapi.json") })
        {
            var target = Path.Combine(output.FullName, file);
            await File.WriteAllTextAsync(target, await http.GetStringAsync(new Uri(path, UriKind.Relative)));
            Console.WriteLine($"{address}{path} -> {target}");
        }
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
    return 0;
}
finally
{
    data.Delete(recursive: true);
}
