-- TPC-DS Q26 (Appendix B.26): average quantity, list price, coupon amount and sales price per item of
-- catalog sales to one demographic group (gender, marital status, education) in a year, for promotions
-- not run by e-mail or not run as an event.
-- @param YEAR 2000 ~ uniform(1998, 2002)
-- @param ES 'College' ~ choice(vocab('education'))
-- @param MS 'S' ~ choice(vocab('marital_status'))
-- @param GEN 'M' ~ choice(vocab('gender'))
select
    i_item_id,
    avg(cs_quantity) as avg_quantity,
    avg(cs_list_price) as avg_list_price,
    avg(cs_coupon_amt) as avg_coupon_amt,
    avg(cs_sales_price) as avg_sales_price
from catalog_sales, customer_demographics, date_dim, item, promotion
where cs_sold_date_sk = d_date_sk
  and cs_item_sk = i_item_sk
  and cs_bill_cdemo_sk = cd_demo_sk
  and cs_promo_sk = p_promo_sk
  and cd_gender = '${GEN}'
  and cd_marital_status = '${MS}'
  and cd_education_status = '${ES}'
  and (p_channel_email = 'N' or p_channel_event = 'N')
  and d_year = ${YEAR}
group by i_item_id
order by i_item_id
limit 100
