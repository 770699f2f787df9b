"""Notify: Slack (slack_sdk lives here only), e-mail fallback, the outbox, and the recording notifier.

Pure delivery, no database: every deliverer answers one try with a
:class:`~warning.notify.result.DeliveryResult` and never sleeps; the escalation
runtime persists the answer and asks :class:`~warning.notify.outbox.OutboxScheduler`
what to do next. Nothing is imported here; use the modules:

=====================  ==============================================================
``result``             ``DeliveryResult``, ``DeliveryStatus``, the ``Notifier`` protocol
``slack``              ``SlackDelivery.deliver(notification, reconcile=, parent=)``
``slackcalls``         the single Web API calls (post, update, upload, find_sent)
``slackerrors``        how slack-sdk's answers become results (429 and friends)
``email``              ``EmailDelivery`` over SMTP (the fallback)
``outbox``             ``OutboxScheduler``, ``OutboxItem``, ``Decision`` (pure, ``now`` in)
``bucket``             the per-channel ``TokenBucket``
``blocks``             the page and the crisis-channel post (Block Kit)
``status``             the in-place update after an acknowledgement or escalation
``crisisblocks``       the checklist thread and statement drafts (four eyes)
``blockkit``           limit-safe Block Kit pieces and ``check_limits``
``labels``             German and English words and number formats
``chart``              the evidence chart (PNG, matplotlib Agg)
``signature``          ``SlackRequestVerifier``: HMAC, 5-minute window, before parsing
``interact``           button presses and slash commands → ``Ack`` records; retries once
``commands``           the ``/shitstorm`` slash command
``recording``          ``RecordingNotifier``, ``ConsoleNotifier``, ``RoutingNotifier``
``render``             Block Kit as plain text and HTML
``settings``           ``SlackSettings`` / ``EmailSettings`` from an environment mapping
``fakeslack``          a loopback fake of Slack's Web API (tests, the demo)
=====================  ==============================================================

Kinds of :class:`~warning.records.Notification` and where they go:
``page_dm`` (``channel`` = Slack user id; the DM is opened first), ``channel_post`` and
``fyi`` (channel id or ``#name``), ``thread_reply`` (into the thread of the message sent
under ``thread_of``), ``update`` (``chat.update`` of the message sent under
``thread_of``), ``email`` (``channel`` = address; :class:`~warning.notify.email.EmailDelivery`).
"""
