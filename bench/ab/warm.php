<?php
// One contender's warm sends to smtp-sink on $argv[1]: 200 to warm up, then 3,000 timed on
// one Smtpx\Client connection; prints messages per second.
$client = new Smtpx\Client(['host' => '127.0.0.1', 'port' => (int) $argv[1], 'tls' => 'none']);
$message = ['from' => 'a@example.com', 'to' => 'b@example.com', 'subject' => 'x',
            'text' => str_repeat("hello world\n", 150)];
for ($i = 0; $i < 200; $i++) {
    $client->send($message);
}
$started = hrtime(true);
for ($i = 0; $i < 3000; $i++) {
    $client->send($message);
}
printf("%.0f\n", 3000 / ((hrtime(true) - $started) / 1e9));
