from django.urls import path

from . import views

app_name = "consortia"

urlpatterns = [
    path("consortia/", views.consortium_list, name="list"),
    path("consortia/new/", views.consortium_form, name="create"),
    path("consortia/<int:pk>/", views.consortium_detail, name="detail"),
    path("consortia/<int:pk>/edit/", views.consortium_form, name="edit"),
    path("consortia/<int:pk>/members/add/", views.member_add, name="member-add"),
    path("consortia/<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member-remove"),
    path("consortia/<int:pk>/invite/", views.invite, name="invite"),
    path("invitations/<slug:token>/", views.accept_invitation, name="accept-invitation"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new/", views.organization_form, name="organization-create"),
    path("organizations/<int:pk>/edit/", views.organization_form, name="organization"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/roles/", views.person_roles, name="person-roles"),
]
