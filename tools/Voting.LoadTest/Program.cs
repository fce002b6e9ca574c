using Voting.LoadTest;
using Voting.LoadTest.ShowNight;
using Voting.LoadTest.Watchers;

if (args is [] or ["-h" or "--help" or "help", ..])
{
    Console.WriteLine(Usage.Text);
    return args is [] ? 2 : 0;
}

Out.Configure();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the run and still reports; a second one kills the process.
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};

try
{
    return args[0] switch
    {
        "votes" => await VotesCommand.RunAsync(OptionsParser.ParseVotes(args[1..], TimeProvider.System), stop.Token),
        "sms" => await SmsCommand.RunAsync(OptionsParser.ParseSms(args[1..], TimeProvider.System), stop.Token),
        "sms-requests" => SmsRequestsCommand.Run(OptionsParser.ParseSmsRequests(args[1..], TimeProvider.System), TimeProvider.System),
        "carrier" => await CarrierCommand.RunAsync(OptionsParser.ParseCarrier(args[1..]), stop.Token),
        "receipts" => await ReceiptsCommand.RunAsync(OptionsParser.ParseReceipts(args[1..]), stop.Token),
        "show-night" => await ShowNightCommand.RunAsync(OptionsParser.ParseShowNight(args[1..], TimeProvider.System), TimeProvider.System, stop.Token),
        "watchers" => await WatchersCommand.RunAsync(WatchOptions.Parse(args[1..], TimeProvider.System), TimeProvider.System, stop.Token),
        // A process of the watchers command, started by it: not for direct use.
        "watch-child" => await WatchChild.RunAsync(ChildOptions.Parse(args[1..]), stop.Token),
        _ => throw new UsageException($"unknown command '{args[0]}' (commands: votes, sms, sms-requests, carrier, receipts, watchers, show-night)"),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("run with --help for the options");
    return 2;
}
