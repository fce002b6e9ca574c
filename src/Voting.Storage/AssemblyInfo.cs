namespace Voting.Storage;
