# The consent to reuse materials becomes a history of records (ReuseConsent); the flag on
# Applicant is migrated to an open record and removed.

import django.db.models.deletion
from django.db import migrations, models


MIGRATED_BY = "系统：由原“同意复用材料”标记迁移"


def flags_to_records(apps, schema_editor):
    """Each applicant who had consented gets one open consent row, granted when the flag
    was set (or, without that time, when the profile last changed)."""
    Applicant = apps.get_model("applicants", "Applicant")
    ReuseConsent = apps.get_model("applicants", "ReuseConsent")
    rows = [
        ReuseConsent(
            applicant_id=pk,
            scope="all",
            granted_at=at or updated,
            granted_via="online",
            granted_by=MIGRATED_BY,
        )
        for pk, at, updated in Applicant.objects.filter(wallet_consent=True)
        .values_list("pk", "wallet_consent_at", "updated_at")
        .iterator()
    ]
    ReuseConsent.objects.bulk_create(rows, batch_size=1000)


def records_to_flags(apps, schema_editor):
    """Back: an applicant with an open consent row has the flag set, at its time."""
    Applicant = apps.get_model("applicants", "Applicant")
    ReuseConsent = apps.get_model("applicants", "ReuseConsent")
    for pk, at in ReuseConsent.objects.filter(withdrawn_at__isnull=True).values_list(
        "applicant_id", "granted_at"
    ):
        Applicant.objects.filter(pk=pk).update(wallet_consent=True, wallet_consent_at=at)


class Migration(migrations.Migration):

    dependencies = [
        ('applicants', '0004_signin_code_old_phone'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReuseConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(choices=[('all', '电子证照和以前提交的材料'), ('licences', '仅电子证照')], default='all', max_length=16, verbose_name='同意范围')),
                ('granted_at', models.DateTimeField(verbose_name='同意时间')),
                ('granted_via', models.CharField(choices=[('online', '本人网上办理'), ('counter', '本人在窗口，由工作人员代为办理')], max_length=16, verbose_name='同意方式')),
                ('granted_by', models.CharField(help_text='本人或代为办理的工作人员', max_length=200, verbose_name='办理人')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='撤回时间')),
                ('withdrawn_via', models.CharField(blank=True, choices=[('online', '本人网上办理'), ('counter', '本人在窗口，由工作人员代为办理')], max_length=16, verbose_name='撤回方式')),
                ('withdrawn_by', models.CharField(blank=True, max_length=200, verbose_name='撤回办理人')),
                ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reuse_consents', to='applicants.applicant', verbose_name='申请人')),
            ],
            options={
                'verbose_name': '材料复用授权',
                'verbose_name_plural': '材料复用授权',
                'ordering': ['applicant', '-granted_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('applicant',), name='reuse_consent_one_open'), models.CheckConstraint(condition=models.Q(('withdrawn_at__isnull', True), ('withdrawn_at__gte', models.F('granted_at')), _connector='OR'), name='reuse_consent_withdrawn_after_granted')],
            },
        ),
        migrations.RunPython(flags_to_records, records_to_flags),
        migrations.RemoveField(
            model_name='applicant',
            name='wallet_consent',
        ),
        migrations.RemoveField(
            model_name='applicant',
            name='wallet_consent_at',
        ),
    ]
