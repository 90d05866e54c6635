--TEST--
Smtpx\Exception and its subclasses: hierarchy, protected properties and getters
--EXTENSIONS--
smtpx
--FILE--
<?php
foreach (['ConnectException', 'TlsException', 'AuthException', 'RejectedException',
          'ProtocolException', 'TimeoutException'] as $name) {
    $class = new ReflectionClass("Smtpx\\$name");
    echo $class->getName(), ' extends ', $class->getParentClass()->getName(), "\n";
}
$base = new ReflectionClass(Smtpx\Exception::class);
echo 'Smtpx\Exception extends ', $base->getParentClass()->getName(), "\n";
foreach ($base->getProperties() as $property) {
    if ($property->getDeclaringClass()->getName() !== Smtpx\Exception::class) continue;
    printf("%s %s $%s = %s\n", $property->isProtected() ? 'protected' : 'public',
        $property->getType(), $property->getName(), var_export($property->getDefaultValue(), true));
}
foreach ($base->getMethods() as $method) {
    if ($method->getDeclaringClass()->getName() !== Smtpx\Exception::class) continue;
    echo $method->getName(), '(): ', $method->getReturnType(), "\n";
}
$rejected = new ReflectionMethod(Smtpx\RejectedException::class, 'getRejected');
echo 'getRejected(): ', $rejected->getReturnType(), "\n";

// A PHP subclass may set the properties; the getters read them.
class Replayed extends Smtpx\RejectedException {
    public function __construct() {
        parent::__construct('refused', 550);
        $this->smtpCode = 550;
        $this->enhancedStatus = '5.1.1';
        $this->phase = 'rcpt';
        $this->rejected = ['b@example.com' => '550 5.1.1 No such user'];
    }
}
$e = new Replayed();
var_dump($e->getSmtpCode(), $e->getEnhancedStatus(), $e->getPhase(), $e->isTransient(),
    $e->isOutcomeUnknown(), $e->getTranscript(), $e->getRejected(), $e->getCode());

// A plain one has the defaults.
$plain = new Smtpx\Exception('x');
var_dump($plain->getSmtpCode(), $plain->getEnhancedStatus(), $plain->getPhase(), $plain->getTranscript(),
    $plain->getHint());
var_dump($plain instanceof RuntimeException);
?>
--EXPECT--
Smtpx\ConnectException extends Smtpx\Exception
Smtpx\TlsException extends Smtpx\Exception
Smtpx\AuthException extends Smtpx\Exception
Smtpx\RejectedException extends Smtpx\Exception
Smtpx\ProtocolException extends Smtpx\Exception
Smtpx\TimeoutException extends Smtpx\Exception
Smtpx\Exception extends RuntimeException
protected int $smtpCode = 0
protected ?string $enhancedStatus = NULL
protected string $phase = ''
protected bool $transient = false
protected bool $outcomeUnknown = false
protected ?string $transcript = NULL
protected string $hint = ''
protected int $httpStatus = 0
protected ?float $retryAfter = NULL
protected ?string $oauthRefreshToken = NULL
getSmtpCode(): int
getEnhancedStatus(): ?string
getPhase(): string
isTransient(): bool
isOutcomeUnknown(): bool
getTranscript(): ?string
getHint(): string
getHttpStatus(): int
getRetryAfter(): ?float
getOauthRefreshToken(): ?string
getRejected(): array
int(550)
string(5) "5.1.1"
string(4) "rcpt"
bool(false)
bool(false)
NULL
array(1) {
  ["b@example.com"]=>
  string(22) "550 5.1.1 No such user"
}
int(550)
int(0)
NULL
string(0) ""
NULL
string(0) ""
bool(true)
