# Shared helpers for the scripts in this folder (sourced, not run).
say() { printf '\033[1;34m==>\033[0m [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

export TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore::DeprecationWarning
RASA=.venv-rasa/bin/rasa
ACTIONS_PY=.venv-actions/bin/python

# Trains every model whose inputs changed since it was last trained.
train_if_needed() {
    # One after the other: in a fresh-clone CI run on 2 cores, Rasa's TensorFlow and the GPT-2 side
    # by side took 11.5 min (each one's threads stall while the other holds a core), one after the
    # other 11.2 (Rasa 7.0, the GPT-2 on both cores 3.3, the passages' embeddings 0.9), and the
    # GPT-2 no longer depends on how busy the machine was. The recommender (seconds) trains beside Rasa.
    # Each keeps its own fingerprint (shop data + settings in shop.yml); the GPT-2's step also
    # computes the passages' embeddings for grounded answers.
    "$ACTIONS_PY" -m shop.recommender.train &
    local recommender=$!
    train_rasa_if_needed
    wait "$recommender" || die "Training the recommender failed."
    "$ACTIONS_PY" -m shop.grounded.train || die "Training the answer generator failed."
}

# Trains the Rasa model when the training data, domain or config changed since the last model
# (other languages' data in data/nlu/<language>/, the Chinese dictionary and the custom NLU
# components with shop/language.py count as training data).
train_rasa_if_needed() {
    local fingerprint
    fingerprint=$(cat config.yml domain.yml data/nlu/*.yml data/nlu/*/*.yml data/zh/* data/rules.yml \
        data/stories.yml rasa_ext/tokenizer.py rasa_ext/language_detector.py rasa_ext/sentence_features.py \
        rasa_ext/side_effect_guard.py shop/language.py | sha256sum | cut -c1-16)
    if [ -f "models/kestrel-$fingerprint.tar.gz" ]; then
        say "Model is up to date (models/kestrel-$fingerprint.tar.gz)"
        return 0
    fi
    say "Training the Rasa model (data changed; a few minutes on 2 cores)"
    # Its phases and epochs, not minutes of silence (rasa_ext/training_progress.py); the full log
    # is kept in var/log/train.log. pipefail: the pipeline fails when the training does.
    mkdir -p var/log
    (set -o pipefail; "$RASA" train --fixed-model-name "kestrel-$fingerprint" --out models 2>&1 |
        tee var/log/train.log | .venv-rasa/bin/python -m rasa_ext.training_progress) ||
        die "Training failed (see var/log/train.log)."
    # Older models of this project are superseded; keep the directory small.
    find models -name 'kestrel-*.tar.gz' ! -name "kestrel-$fingerprint.tar.gz" -delete
}

latest_model() { ls -t models/kestrel-*.tar.gz 2>/dev/null | head -1; }

wait_for_url() {  # $1 = url, $2 = seconds, $3 = what, $4 = its log folder
    local deadline=$((SECONDS + $2))
    until curl -fsS "$1" >/dev/null 2>&1; do
        [ $SECONDS -lt "$deadline" ] || die "$3 did not come up within $2 s (see ${4:-var/log}/)."
        sleep 1
    done
}

# Values that endpoints.yml and credentials.yml read from the environment.
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://localhost:${ACTIONS_PORT:-5055}/webhook}
export RASA_TRACKER_DB=${RASA_TRACKER_DB:-var/tracker.db}
export RASA_EVENTS_DB=${RASA_EVENTS_DB:-var/events.db}

# Values that credentials.yml reads (Rasa refuses unset variables). Empty = that platform is off.
export SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN:-} SLACK_SIGNING_SECRET=${SLACK_SIGNING_SECRET:-} SLACK_API_URL=${SLACK_API_URL:-}
export TELEGRAM_TOKEN=${TELEGRAM_TOKEN:-} TELEGRAM_BOT_NAME=${TELEGRAM_BOT_NAME:-} \
    TELEGRAM_WEBHOOK_URL=${TELEGRAM_WEBHOOK_URL:-} TELEGRAM_SECRET_TOKEN=${TELEGRAM_SECRET_TOKEN:-} \
    TELEGRAM_API_URL=${TELEGRAM_API_URL:-}
export CHATWOOT_URL=${CHATWOOT_URL:-} CHATWOOT_BOT_TOKEN=${CHATWOOT_BOT_TOKEN:-} \
    CHATWOOT_WEBHOOK_TOKEN=${CHATWOOT_WEBHOOK_TOKEN:-}

# The web chat tests and benchmark drive Debian's Chromium through Playwright (never Playwright's own
# browser downloads). Installs it when missing; needs root or sudo on a Debian/Ubuntu machine.
ensure_chromium() {
    [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ] && return 0
    command -v chromium >/dev/null 2>&1 && return 0
    say "Installing Debian's chromium for the browser tests"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium; } \
        >/dev/null || die "Could not install chromium; install it (apt-get install chromium) or set CHROMIUM=/path/to/chromium."
}

# The action server erases and expires conversations in the same tracker database.
export SHOP_TRACKER_URL=${SHOP_TRACKER_URL:-$RASA_TRACKER_DB}
# Shared secret between the Rasa server and the action server, and the Rasa HTTP API's token:
# drawn afresh for each start unless set (README, Security).
export ACTION_SERVER_TOKEN=${ACTION_SERVER_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export RASA_API_TOKEN=${RASA_API_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
# The secret the shop signs identity tokens with and the Rasa server checks them with (HS256,
# rasa_ext/identity.py); the demo page signs them for its demo accounts. A shop that signs with RS256
# sets SHOP_IDENTITY_PUBLIC_KEY (a PEM file) instead.
export SHOP_IDENTITY_SECRET=${SHOP_IDENTITY_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
# The shop's pages that may open the web chat (socket.io origins) and call the Rasa server (CORS).
export SHOP_ALLOWED_ORIGINS=${SHOP_ALLOWED_ORIGINS:-http://127.0.0.1:${WEB_PORT:-8080},http://localhost:${WEB_PORT:-8080}}
# Request bodies above this many bytes get HTTP 413 from both servers (Sanic reads it).
export SANIC_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-1000000}

# Debian's Chromium for the browser tests, PostgreSQL and Redis for the scale-out tests (the tests
# start their own servers on loopback): installed when missing, quietly, with one apt-get update.
install_test_services() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM:-}" ] || missing+=(chromium)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing ${missing[*]} for the tests"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        die "Installing ${missing[*]} failed; install them (Debian packages) and run this again."
}
