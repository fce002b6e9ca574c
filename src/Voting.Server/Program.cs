using Voting.Server;

var app = VotingApp.Build(args);
await app.RunAsync();
