from __future__ import annotations

from rest_framework import serializers

from sanyi.notify.models import Channel, DeliveryStatus, Message, OutboxMessage


class NotifyMessageOutput(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "event",
            "subject",
            "body",
            "link",
            "object_type",
            "object_id",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class NotifyMessageQuery(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="只列出未读消息")


class NotifyReadAllOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")


class NotifyDeliveryOutput(serializers.ModelSerializer):
    address = serializers.CharField(source="masked_address", read_only=True)
    recipient = serializers.CharField(source="message.recipient_label", read_only=True)
    subject = serializers.CharField(source="message.subject", read_only=True)

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "event",
            "subject",
            "recipient",
            "channel",
            "address",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "provider_message_id",
            "created_at",
        ]
        read_only_fields = fields


class NotifyDeliveryQuery(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)
    event = serializers.CharField(required=False, max_length=64)
