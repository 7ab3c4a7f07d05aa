from django.urls import path

from .views import budgets, payments

app_name = "payments"
urlpatterns = [
    path("awards/<int:pk>/payments/", payments.award_payments, name="award"),
    path("awards/<int:pk>/payments/add/", payments.payment_add, name="payment-add"),
    path("awards/<int:pk>/payments/hold/", payments.hold_place, name="hold"),
    path("awards/<int:pk>/payments/lift-hold/", payments.hold_lift, name="lift-hold"),
    path("awards/<int:pk>/payments/recoveries/", payments.recovery_add, name="recovery"),
    path("awards/<int:pk>/closeout/", payments.award_closeout, name="closeout"),
    path("payments/<int:pk>/", payments.payment_detail, name="payment"),
    path("payments/<int:pk>/release/", payments.payment_release, name="release"),
    path("payments/<int:pk>/approve/", payments.payment_approve, name="approve"),
    path("payments/<int:pk>/paid/", payments.payment_paid, name="paid"),
    path("payments/<int:pk>/cancel/", payments.payment_cancel, name="cancel"),
    path("awards/<int:pk>/expenditures/<str:year>/", budgets.expenditure_report, name="expenditures"),
    path("awards/<int:pk>/budget/<str:year>/revise/", budgets.revision_new, name="revision-new"),
    path("budget-revisions/<int:pk>/", budgets.revision_detail, name="revision"),
    path("programs/<int:pk>/payment-settings/", budgets.payment_settings, name="settings"),
]
