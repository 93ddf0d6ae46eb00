from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import scope_for
from .forms import EmailLoginForm, ProfileForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        # The e-mail step (sso:start) sends local accounts here with their address filled in.
        return {"username": self.request.GET.get("email", "")}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.GET.get("email"):
            form.fields["username"].widget.attrs.pop("autofocus", None)
            form.fields["password"].widget.attrs["autofocus"] = True
        return form


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "roles": request.user.roles.select_related(
                "unit__municipality", "municipality", "structure", "journey"
            ),
            "scope": scope_for(request.user),
        },
    )
