using Voting.Server;
using Voting.Server.Infrastructure;

try
{
    var app = VotingApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (ValidatedOptions.FailuresOf(e) is { } failures)
{
    // Refused configuration: say which keys are wrong, without a stack trace.
    await Console.Error.WriteLineAsync($"The server cannot start: {string.Join("; ", failures)}");
    return 1;
}
