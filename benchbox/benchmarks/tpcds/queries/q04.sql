-- TPC-DS Q4 (Appendix B.4): customers whose catalog spending grew from one year to the next by a
-- larger factor than both their store and their web spending, with one more customer attribute.
-- @param YEAR 2001 ~ uniform(1998, 2001)
-- @param SELECTONE 't_s_secyear.customer_preferred_cust_flag' ~ choice(['t_s_secyear.customer_preferred_cust_flag', 't_s_secyear.customer_birth_country', 't_s_secyear.customer_login', 't_s_secyear.customer_email_address'])
with channel_lines as (
    select
        ss_customer_sk as customer_sk,
        ss_sold_date_sk as date_sk,
        ((ss_ext_list_price - ss_ext_wholesale_cost - ss_ext_discount_amt) + ss_ext_sales_price) / 2 as amount,
        's' as channel
    from store_sales
    union all
    select
        cs_bill_customer_sk,
        cs_sold_date_sk,
        ((cs_ext_list_price - cs_ext_wholesale_cost - cs_ext_discount_amt) + cs_ext_sales_price) / 2,
        'c'
    from catalog_sales
    union all
    select
        ws_bill_customer_sk,
        ws_sold_date_sk,
        ((ws_ext_list_price - ws_ext_wholesale_cost - ws_ext_discount_amt) + ws_ext_sales_price) / 2,
        'w'
    from web_sales
),
year_total as (
    select
        c_customer_id as customer_id,
        c_first_name as customer_first_name,
        c_last_name as customer_last_name,
        c_preferred_cust_flag as customer_preferred_cust_flag,
        c_birth_country as customer_birth_country,
        c_login as customer_login,
        c_email_address as customer_email_address,
        d_year as sale_year,
        channel,
        sum(amount) as total
    from channel_lines, customer, date_dim
    where c_customer_sk = customer_sk
      and d_date_sk = date_sk
    group by
        c_customer_id,
        c_first_name,
        c_last_name,
        c_preferred_cust_flag,
        c_birth_country,
        c_login,
        c_email_address,
        d_year,
        channel
)
select
    t_s_secyear.customer_id,
    t_s_secyear.customer_first_name,
    t_s_secyear.customer_last_name,
    ${SELECTONE}
from
    year_total t_s_firstyear,
    year_total t_s_secyear,
    year_total t_c_firstyear,
    year_total t_c_secyear,
    year_total t_w_firstyear,
    year_total t_w_secyear
where t_s_firstyear.channel = 's'
  and t_s_firstyear.sale_year = ${YEAR}
  and t_s_secyear.channel = 's'
  and t_s_secyear.sale_year = ${YEAR} + 1
  and t_c_firstyear.channel = 'c'
  and t_c_firstyear.sale_year = ${YEAR}
  and t_c_secyear.channel = 'c'
  and t_c_secyear.sale_year = ${YEAR} + 1
  and t_w_firstyear.channel = 'w'
  and t_w_firstyear.sale_year = ${YEAR}
  and t_w_secyear.channel = 'w'
  and t_w_secyear.sale_year = ${YEAR} + 1
  and t_s_secyear.customer_id = t_s_firstyear.customer_id
  and t_c_firstyear.customer_id = t_s_firstyear.customer_id
  and t_c_secyear.customer_id = t_s_firstyear.customer_id
  and t_w_firstyear.customer_id = t_s_firstyear.customer_id
  and t_w_secyear.customer_id = t_s_firstyear.customer_id
  and t_s_firstyear.total > 0
  and t_c_firstyear.total > 0
  and t_w_firstyear.total > 0
  -- the case guards keep engines that evaluate predicates in any order from dividing by zero
  and case when t_c_firstyear.total > 0 then t_c_secyear.total / t_c_firstyear.total end
      > case when t_s_firstyear.total > 0 then t_s_secyear.total / t_s_firstyear.total end
  and case when t_c_firstyear.total > 0 then t_c_secyear.total / t_c_firstyear.total end
      > case when t_w_firstyear.total > 0 then t_w_secyear.total / t_w_firstyear.total end
order by
    t_s_secyear.customer_id,
    t_s_secyear.customer_first_name,
    t_s_secyear.customer_last_name,
    ${SELECTONE}
limit 100
